import { describe, expect, it } from "vitest";
import { WaiterQueue } from "../src/waiters.js";

describe("WaiterQueue", () => {
  it("serves waiters first come, first served", async () => {
    const queue = new WaiterQueue<string>();
    const first = queue.wait();
    const second = queue.wait();
    expect(queue.size).toBe(2);
    expect(queue.serve("a")).toBe(true);
    expect(queue.serve("b")).toBe(true);
    await expect(first).resolves.toBe("a");
    await expect(second).resolves.toBe("b");
    expect(queue.size).toBe(0);
  });

  it("says when nobody waits, so the caller keeps what it offered", () => {
    expect(new WaiterQueue<number>().serve(1)).toBe(false);
  });

  it("rejects a waiter whose signal aborts, removes it, then runs onAbort", async () => {
    const queue = new WaiterQueue<string>();
    const controller = new AbortController();
    const sizes: number[] = [];
    const aborted = queue.wait(controller.signal, () => sizes.push(queue.size));
    const next = queue.wait();
    controller.abort(new Error("stop"));
    await expect(aborted).rejects.toThrow("stop");
    expect(sizes).toEqual([1]);
    queue.serve("x");
    await expect(next).resolves.toBe("x");
  });

  it("rejects at once for a signal already aborted, without queueing", async () => {
    const queue = new WaiterQueue<string>();
    await expect(queue.wait(AbortSignal.abort(new Error("late")))).rejects.toThrow("late");
    expect(queue.size).toBe(0);
  });

  it("rejects every waiter with rejectAll", async () => {
    const queue = new WaiterQueue<string>();
    const waits = [queue.wait(), queue.wait()];
    queue.rejectAll(new Error("gone"));
    for (const wait of waits) await expect(wait).rejects.toThrow("gone");
    expect(queue.size).toBe(0);
  });
});
