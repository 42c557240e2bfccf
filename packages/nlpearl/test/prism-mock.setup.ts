import { fileURLToPath } from "node:url";
import { prismMockGlobalSetup } from "@leadbridge/testing";

export default prismMockGlobalSetup(fileURLToPath(new URL("../src/generated/openapi.yaml", import.meta.url)));
