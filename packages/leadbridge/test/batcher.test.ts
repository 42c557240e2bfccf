import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Envelope } from "../src/adapters/adapter.js";
import { type Batch, Batcher, iteratorOf } from "../src/batcher.js";

const envelope: Envelope = { prefix: '{"leads":[', suffix: "]}" };
const text = (body: Uint8Array) => new TextDecoder().decode(body);
const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/** Every batch of `items` (each prepared as itself), and the items reported too large. */
async function collect<T>(
  source: Iterable<T> | AsyncIterable<T>,
  maxCount: number,
  maxBytes: number,
  wrap: Envelope = envelope,
) {
  const tooLarge: { index: number; bytes: number }[] = [];
  const batcher = new Batcher<T, T>(
    iteratorOf(source),
    (x) => x,
    { maxCount, maxBytes },
    wrap,
    (index, bytes) => tooLarge.push({ index, bytes }),
  );
  const batches: Batch[] = [];
  for (let batch = await batcher.next(); batch; batch = await batcher.next()) batches.push(batch);
  return { batches, tooLarge };
}

describe("batcher", () => {
  test("cuts by count", async () => {
    const { batches } = await collect(
      Array.from({ length: 2500 }, (_, i) => ({ i })),
      1000,
      1e9,
    );
    expect(batches.map((b) => b.indexes.length)).toEqual([1000, 1000, 500]);
    expect(batches[1]!.indexes[0]).toBe(1000);
  });

  test("the body: the envelope around the items' JSON joined by commas, in UTF-8, multi-byte text included", async () => {
    const wide: Envelope = { prefix: '{"note":"é","leads":[', suffix: "]}" };
    const { batches } = await collect([{ name: "Zoë" }, { name: "李雷" }, { name: "😀" }], 10, 1e9, wide);
    const expected = '{"note":"é","leads":[{"name":"Zoë"},{"name":"李雷"},{"name":"😀"}]}';
    expect(batches).toHaveLength(1);
    expect(Buffer.from(batches[0]!.body).equals(Buffer.from(expected, "utf8"))).toBe(true);
  });

  test("cuts by body bytes, counting the commas and the envelope", async () => {
    // Each item is 30 bytes as JSON; the envelope is 12; 12 + 3 × 30 + 2 commas = 104 > 100: two fit.
    const item = (i: number) => ({ v: "x".repeat(16), i });
    expect(bytesOf(item(1))).toBe(30);
    const { batches } = await collect([item(0), item(1), item(2), item(3)], 100, 100);
    expect(batches.map((b) => b.indexes)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(batches.map((b) => b.body.length)).toEqual([73, 73]);
  });

  test("an item too large even alone is reported with its size and never sent; the others go on", async () => {
    const big = { v: "é".repeat(100) };
    const { batches, tooLarge } = await collect([{ a: 1 }, big, { a: 2 }], 10, 100);
    expect(tooLarge).toEqual([{ index: 1, bytes: bytesOf(big) }]);
    expect(batches.map((b) => b.indexes)).toEqual([[0, 2]]);
    expect(text(batches[0]!.body)).toBe('{"leads":[{"a":1},{"a":2}]}');
  });

  test("nothing but items too large: no batch, each reported", async () => {
    const big = { v: "x".repeat(200) };
    const { batches, tooLarge } = await collect([big, big], 10, 100);
    expect(batches).toEqual([]);
    expect(tooLarge.map((t) => t.index)).toEqual([0, 1]);
  });

  test("reads an async source lazily: never more than one batch ahead", async () => {
    let produced = 0;
    async function* source() {
      for (let i = 0; i < 10_000; i++) {
        produced++;
        yield { i };
      }
    }
    const batcher = new Batcher(
      iteratorOf(source()),
      (x) => x,
      { maxCount: 100, maxBytes: 1e9 },
      envelope,
      () => {},
    );
    await batcher.next();
    expect(produced).toBe(100);
    await batcher.next();
    expect(produced).toBe(200);
  });

  test("concurrent next() calls get distinct, ordered batches", async () => {
    const batcher = new Batcher(
      iteratorOf(Array.from({ length: 35 }, (_, i) => ({ i }))),
      (x) => x,
      { maxCount: 10, maxBytes: 1e9 },
      envelope,
      () => {},
    );
    const got = await Promise.all([batcher.next(), batcher.next(), batcher.next(), batcher.next(), batcher.next()]);
    expect(got.map((b) => b?.indexes[0])).toEqual([0, 10, 20, 30, undefined]);
  });

  test("takeHeld returns the indexes read but not handed out", async () => {
    const item = { v: "x".repeat(50) };
    const batcher = new Batcher(
      iteratorOf([item, item, { a: 1 }]),
      (x) => x,
      { maxCount: 10, maxBytes: 100 },
      envelope,
      () => {},
    );
    expect((await batcher.next())?.indexes).toEqual([0]);
    expect(batcher.takeHeld()).toEqual([1, 2]);
    expect(await batcher.next()).toBeUndefined();
  });

  test("the index passed to prepare is the item's place in the input, whatever prepare dropped", async () => {
    const seen: number[] = [];
    const batcher = new Batcher(
      iteratorOf(["a", "drop", "b", "drop", "c"]),
      (x: string, index: number) => {
        seen.push(index);
        return x === "drop" ? undefined : { x };
      },
      { maxCount: 10, maxBytes: 1e9 },
      envelope,
      () => {},
    );
    expect((await batcher.next())?.indexes).toEqual([0, 2, 4]);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  test("the same bytes on every attempt: a body can be sent again unchanged", async () => {
    const { batches } = await collect([{ email: "a@x.io" }, { email: "ü@x.io" }], 10, 1e9);
    const body = batches[0]!.body;
    const copy = Uint8Array.from(body);
    // What each attempt does with it: a Request copies the bytes, leaving ours intact for the next attempt.
    const first = await new Request("http://127.0.0.1/", { method: "POST", body: body as BodyInit }).arrayBuffer();
    const second = await new Request("http://127.0.0.1/", { method: "POST", body: body as BodyInit }).arrayBuffer();
    expect(new Uint8Array(first)).toEqual(copy);
    expect(new Uint8Array(second)).toEqual(copy);
  });

  test("rejects what is not iterable with a TypeError", () => {
    expect(() => iteratorOf(42 as never)).toThrow(TypeError);
  });

  test("property: every item once (in a batch, in order, or too large), both caps held, batches cut greedily", async () => {
    const value = fc.string({ unit: fc.constantFrom("a", "é", "😀", '"', "\n"), maxLength: 60 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(value, { maxLength: 700 }),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.string({ unit: fc.constantFrom("x", "ß"), maxLength: 8 }),
        fc.boolean(),
        async (values, maxCount, maxBytes, note, asAsync) => {
          const items = values.map((v, i) => ({ i, v }));
          const wrap = { prefix: `{"note":${JSON.stringify(note)},"leads":[`, suffix: "]}" };
          const overhead = Buffer.byteLength(wrap.prefix + wrap.suffix);
          const source = asAsync
            ? (async function* () {
                yield* items;
              })()
            : items;
          const { batches, tooLarge } = await collect(source, maxCount, maxBytes, wrap);
          const alone = (i: number) => overhead + bytesOf(items[i]);

          expect(tooLarge.map((t) => t.index)).toEqual(items.map((x) => x.i).filter((i) => alone(i) > maxBytes));
          for (const t of tooLarge) expect(t.bytes).toBe(bytesOf(items[t.index]));
          const sent = batches.flatMap((b) => b.indexes);
          expect(sent).toEqual(items.map((x) => x.i).filter((i) => alone(i) <= maxBytes));
          batches.forEach((batch, k) => {
            expect(batch.indexes.length).toBeGreaterThan(0);
            expect(batch.indexes.length).toBeLessThanOrEqual(maxCount);
            expect(batch.body.length).toBeLessThanOrEqual(maxBytes);
            expect(JSON.parse(text(batch.body))).toEqual({ note, leads: batch.indexes.map((i) => items[i]) });
            // Greedy: a batch under maxCount was cut because the next item would not fit.
            const next = batches[k + 1]?.indexes[0];
            if (next !== undefined && batch.indexes.length < maxCount) {
              expect(batch.body.length + 1 + bytesOf(items[next])).toBeGreaterThan(maxBytes);
            }
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
