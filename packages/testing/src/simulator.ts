import { test as base } from "vitest";

/**
 * A vitest `test` with a `simulator` fixture: `simulator(options)` starts a vendor simulator (on a free
 * loopback port, as `start` does) and the fixture closes every one it started after the test, whatever
 * the test did. `start` is `startSimulator` from `@leadbridge/simulators`, passed in so this package does
 * not depend on the simulators (they test with it).
 *
 *   const test = withSimulator(startSimulator);
 *   test("…", async ({ simulator }) => { const sim = await simulator({ vendor: "nlpearl", seed: 1 }); … });
 */
export function withSimulator<Start extends (options: never) => Promise<{ close(): Promise<void> }>>(start: Start) {
  return base.extend<{ simulator: Start }>({
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads the fixture's dependencies from this pattern.
    simulator: async ({}, use) => {
      const started: Array<{ close(): Promise<void> }> = [];
      const simulator = (async (options: never) => {
        const sim = await start(options);
        started.push(sim);
        return sim;
      }) as unknown as Start;
      try {
        await use(simulator);
      } finally {
        await Promise.all(started.map((sim) => sim.close()));
      }
    },
  });
}
