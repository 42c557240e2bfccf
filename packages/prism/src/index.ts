// One Prism launcher for the CLI's `leadbridge mock` (which bundles this private package) and the tests.
export { PRISM_PACKAGE, PrismNotInstalledError, resolvePrismBin } from "./resolve.js";
export { freePort, type PrismProcess, type SpawnPrismOptions, spawnPrism } from "./spawn.js";
export { type PrismOptions, type PrismServer, startPrism } from "./start.js";
