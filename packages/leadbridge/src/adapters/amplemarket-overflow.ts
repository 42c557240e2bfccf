// `overflow: "new-list"` for Amplemarket: when a list is full, the rest of the leads go to a new list named
// after the first (`<name> (2)`, `(3)`, …) with its type and settings. A batch may be split across two lists;
// each part is sent once (a part already answered is never resent, even when a later part is retried).

import { createList, readList } from "../destinations/amplemarket.js";
import type { DestinationInfo } from "../destinations/types.js";
import { ApiError } from "../errors.js";
import type { Interpretation, InterpretContext, LeadVerdict, ReadTransport, VendorAnswer } from "./adapter.js";

interface ListState {
  id: string;
  /** Leads in it or on their way, when known (a list this call created starts at 0); undefined: unknown. */
  held: number | undefined;
  full: boolean;
  /** Created by this call (then a 409 before it took anything is not "full": rolling on would loop). */
  created: boolean;
  /** Leads in parts it answered 2xx. */
  answered: number;
}

interface Part {
  list: ListState;
  from: number;
  to: number;
  answer?: VendorAnswer;
}

interface Plan {
  type: string;
  leads: unknown[];
  parts: Part[];
}

/** An answer for a batch sent in parts: each part's list and answer, in lead order. */
export interface PartsAnswer extends VendorAnswer {
  parts: { listId: string; size: number; answer: VendorAnswer }[];
}

export interface RolloverOptions {
  transport: ReadTransport;
  listId: string;
  /** Most leads a list holds (the descriptor's `maxLeadsPerDestination`). */
  cap: number;
  /** Leads the first list holds when the call starts, when known. */
  heldAtStart?: number;
  onDestination?: (destination: DestinationInfo) => void;
  /** Posts one part's body to a list. */
  post: (listId: string, body: Uint8Array) => Promise<VendorAnswer>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class ListRollover {
  private readonly lists: ListState[];
  private readonly plans = new WeakMap<Uint8Array, Plan>();
  /** Planning and creating lists, one at a time, so that two batches never reserve the same room. */
  private turn: Promise<unknown> = Promise.resolve();
  private naming?: Promise<{ base: string; next: number; settings: Awaited<ReturnType<typeof readList>> }>;

  constructor(private readonly o: RolloverOptions) {
    this.lists = [{ id: o.listId, held: o.heldAtStart, full: false, created: false, answered: 0 }];
  }

  get firstListId(): string {
    return this.o.listId;
  }

  async send(body: Uint8Array): Promise<VendorAnswer> {
    let plan = this.plans.get(body);
    if (!plan) {
      const parsed = JSON.parse(decoder.decode(body)) as { type: string; leads: unknown[] };
      plan = { type: parsed.type, leads: parsed.leads, parts: [] };
      this.plans.set(body, plan);
    }
    for (;;) {
      const done = plan.parts.filter((part) => part.answer);
      const from = done.at(-1)?.to ?? 0;
      if (from >= plan.leads.length) return combined(done);
      if (plan.parts.length === done.length) {
        try {
          await this.inTurn(() => this.allocate(plan, from));
        } catch (error) {
          if (error instanceof ApiError && error.status !== undefined)
            return { status: error.status, error: { message: error.message }, headers: new Headers() };
          throw error;
        }
      }
      const part = plan.parts[done.length]!;
      const leads = plan.leads.slice(part.from, part.to);
      const answer = await this.o.post(part.list.id, encoder.encode(JSON.stringify({ type: plan.type, leads })));
      if (answer.status >= 200 && answer.status < 300) {
        part.answer = answer;
        part.list.answered += part.to - part.from;
        continue;
      }
      // Unsent parts are planned again: after a full list's 409 on a new list, after a retry on the same one.
      const rollOn = answer.status === 409 && !(part.list.created && part.list.answered === 0);
      if (answer.status === 409) part.list.full = true;
      for (const dropped of plan.parts.splice(done.length))
        if (dropped.list.held !== undefined) dropped.list.held -= dropped.to - dropped.from;
      if (!rollOn) return answer;
    }
  }

  private inTurn<T>(task: () => Promise<T>): Promise<T> {
    const run = this.turn.then(task, task);
    this.turn = run.catch(() => undefined);
    return run;
  }

  /** Parts for leads `from`… of the plan: the current list's room first, then new lists. */
  private async allocate(plan: Plan, from: number): Promise<void> {
    let at = from;
    while (at < plan.leads.length) {
      let list = this.lists.at(-1)!;
      if (list.full) list = await this.newList(plan.type);
      const room = list.held === undefined ? Number.POSITIVE_INFINITY : this.o.cap - list.held;
      if (room <= 0) {
        list.full = true;
        continue;
      }
      const take = Math.min(room, plan.leads.length - at);
      if (list.held !== undefined) list.held += take;
      plan.parts.push({ list, from: at, to: at + take });
      at += take;
    }
  }

  private async newList(type: string): Promise<ListState> {
    this.naming ??= readList(this.o.transport, this.o.listId).then((settings) => {
      const name = settings.name ?? this.o.listId;
      // A list named "<base> (n)" (an earlier overflow, resumed) continues the series at n + 1.
      const numbered = /^(.*) \((\d+)\)$/.exec(name);
      return numbered
        ? { base: numbered[1]!, next: Number(numbered[2]) + 1, settings }
        : { base: name, next: 2, settings };
    });
    const naming = await this.naming;
    const { owner, shared, visible, options } = naming.settings as {
      owner?: string;
      shared?: boolean;
      visible?: boolean;
      options?: Record<string, boolean>;
    };
    const created = await createList(this.o.transport, {
      kind: "list",
      name: `${naming.base} (${naming.next++})`,
      type: (naming.settings.type ?? type) as "email",
      owner: owner ?? "",
      shared: shared ?? false,
      ...(visible !== undefined ? { visible } : {}),
      ...(options !== undefined ? { options } : {}),
    });
    const list: ListState = { id: created.id, held: 0, full: false, created: true, answered: 0 };
    this.lists.push(list);
    this.o.onDestination?.(created);
    return list;
  }
}

/** One answer for the whole batch: 202, with each part's own answer for `interpret`. */
function combined(parts: Part[]): PartsAnswer {
  const last = parts.at(-1)?.answer;
  return {
    status: last?.status ?? 202,
    headers: last?.headers ?? new Headers(),
    parts: parts.map((part) => ({ listId: part.list.id, size: part.to - part.from, answer: part.answer! })),
  };
}

/** Outcomes of a batch sent in parts: each part's, from its own answer, with the list it went to when not the first. */
export function interpretParts(
  answer: VendorAnswer,
  size: number,
  context: InterpretContext,
  firstListId: string,
  interpret: (answer: VendorAnswer, size: number, context: InterpretContext) => Interpretation,
): Interpretation {
  const { parts } = answer as Partial<PartsAnswer>;
  if (!parts) return interpret(answer, size, context);
  const outcomes: LeadVerdict[] = [];
  const warnings: string[] = [];
  for (const part of parts) {
    const read = interpret(part.answer, part.size, context);
    const elsewhere = part.listId !== firstListId;
    for (const verdict of read.outcomes)
      outcomes.push(elsewhere ? { ...verdict, destinationId: part.listId } : verdict);
    warnings.push(...(read.warnings ?? []));
  }
  return { outcomes, warnings };
}
