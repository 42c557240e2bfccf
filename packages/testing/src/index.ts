export * from "./contract.js";
export { describeContract } from "./contract-suite.js";
export { prismMockGlobalSetup } from "./global-setup.js";
export { freePort } from "./port.js";
export { type PrismOptions, type PrismServer, startPrism } from "./prism.js";
export { violationsOf } from "./violations.js";
