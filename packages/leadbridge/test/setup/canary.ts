// Fails the run if a canary secret is ever written to the console or to stdout/stderr by any test.
import { afterAll } from "vitest";
import { CANARIES } from "../helpers.js";

const leaks: string[] = [];
const check = (text: unknown) => {
  const s = typeof text === "string" ? text : String(text);
  for (const canary of CANARIES) if (s.includes(canary)) leaks.push(s.slice(0, 200));
};
for (const method of ["log", "info", "warn", "error", "debug"] as const) {
  const original = console[method];
  console[method] = (...args: unknown[]) => {
    for (const a of args) check(typeof a === "string" ? a : safeInspect(a));
    original.apply(console, args);
  };
}
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    check(chunk);
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write;
}

function safeInspect(value: unknown): string {
  try {
    return `${String(value)} ${JSON.stringify(value)}`;
  } catch {
    return String(value);
  }
}

afterAll(() => {
  if (leaks.length > 0) throw new Error(`a canary secret was written to the console: ${leaks[0]}`);
});
