export { freePort } from "../../cli/src/prism.js";
