export { freePort, type PrismOptions, type PrismServer, startPrism } from "@leadbridge/prism";
export * from "./contract.js";
export { describeContract } from "./contract-suite.js";
export { prismMockGlobalSetup } from "./global-setup.js";
export { mockFetch } from "./mock-fetch.js";
export { dumpAll, type RedisServer, type RedisServerOptions, skipWithoutRedis, startRedisServer } from "./redis.js";
export { withSimulator } from "./simulator.js";
export { violationsOf } from "./violations.js";
export { waitUntil } from "./wait.js";
