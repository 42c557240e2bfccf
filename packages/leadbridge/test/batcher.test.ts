import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { Batcher, batches, iteratorOf, utf8Length } from "../src/batcher.js";

const item = (index: number, bytes: number) => ({ index, bytes });

async function collect<T extends { bytes: number }>(
  source: Iterable<T> | AsyncIterable<T>,
  maxCount: number,
  maxBytes: number,
  overheadBytes = 0,
) {
  const out: T[][] = [];
  for await (const batch of batches(source, { maxCount, maxBytes, overheadBytes })) out.push(batch);
  return out;
}

describe("batcher", () => {
  test("cuts by count", async () => {
    const out = await collect(
      Array.from({ length: 2500 }, (_, i) => item(i, 10)),
      1000,
      1e9,
    );
    expect(out.map((b) => b.length)).toEqual([1000, 1000, 500]);
  });

  test("cuts by serialized bytes, counting the commas and the request overhead", async () => {
    // overhead 10 + 3 items of 30 + 2 commas = 102 > 100, so only two fit.
    const out = await collect([item(0, 30), item(1, 30), item(2, 30), item(3, 30)], 100, 100, 10);
    expect(out.map((b) => b.map((x) => x.index))).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  test("an item larger than the cap travels alone rather than being dropped", async () => {
    const out = await collect([item(0, 5), item(1, 500), item(2, 5)], 10, 100);
    expect(out.map((b) => b.map((x) => x.index))).toEqual([[0], [1], [2]]);
  });

  test("reads an async source lazily: never more than one batch ahead", async () => {
    let produced = 0;
    async function* source() {
      for (let i = 0; i < 10_000; i++) {
        produced++;
        yield item(i, 1);
      }
    }
    const batcher = new Batcher(iteratorOf(source()), (x) => x, { maxCount: 100, maxBytes: 1e9 });
    await batcher.next();
    expect(produced).toBe(100);
    await batcher.next();
    expect(produced).toBe(200);
  });

  test("concurrent next() calls get distinct, ordered batches", async () => {
    const batcher = new Batcher(iteratorOf(Array.from({ length: 35 }, (_, i) => item(i, 1))), (x) => x, {
      maxCount: 10,
      maxBytes: 1e9,
    });
    const got = await Promise.all([batcher.next(), batcher.next(), batcher.next(), batcher.next(), batcher.next()]);
    expect(got.map((b) => b?.[0]?.index)).toEqual([0, 10, 20, 30, undefined]);
  });

  test("takeHeld returns what was read but not handed out", async () => {
    const batcher = new Batcher(iteratorOf([item(0, 60), item(1, 60), item(2, 1)]), (x) => x, {
      maxCount: 10,
      maxBytes: 100,
    });
    expect((await batcher.next())?.map((x) => x.index)).toEqual([0]);
    expect(batcher.takeHeld().map((x) => x.index)).toEqual([1]);
  });

  test("rejects what is not iterable with a TypeError", () => {
    expect(() => iteratorOf(42 as never)).toThrow(TypeError);
  });

  test("utf8Length matches TextEncoder", () => {
    fc.assert(fc.property(fc.string({ unit: "binary" }), (s) => utf8Length(s) === new TextEncoder().encode(s).length));
  });

  test("property: batches keep order, lose nothing, and respect both caps", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 400 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 40 }),
        fc.boolean(),
        async (sizes, maxCount, maxBytes, overhead, asAsync) => {
          const items = sizes.map((bytes, index) => item(index, bytes));
          const source = asAsync
            ? (async function* () {
                yield* items;
              })()
            : items;
          const out = await collect(source, maxCount, maxBytes, overhead);
          expect(out.flat().map((x) => x.index)).toEqual(items.map((x) => x.index));
          for (const batch of out) {
            expect(batch.length).toBeGreaterThan(0);
            expect(batch.length).toBeLessThanOrEqual(maxCount);
            const size = overhead + batch.reduce((s, x) => s + x.bytes, 0) + batch.length - 1;
            if (batch.length > 1) expect(size).toBeLessThanOrEqual(maxBytes);
          }
        },
      ),
    );
  });
});
