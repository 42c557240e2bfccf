// scripts/check-install.mjs imports startPrism from this path; the launcher itself is @leadbridge/prism.
export { type PrismOptions, type PrismServer, startPrism } from "@leadbridge/prism";
