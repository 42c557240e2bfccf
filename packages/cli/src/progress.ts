import { count, duration, type Style, style, visible } from "./term.js";

/** What the import has done so far; the progress display polls it. */
export interface ProgressSnapshot {
  /** Rows read from the input. */
  read: number;
  /** Leads handed to the vendor (in requests sent). */
  sent: number;
  /** Leads the vendor has answered for. */
  acked: number;
  /** Leads with an outcome of any kind (acknowledged, or invalid/duplicate before sending). */
  settled: number;
  /** Rows skipped because an earlier run's journal already has them. */
  resumed: number;
  /** Bytes of the input consumed, and its size when known (a file, not stdin). */
  bytesRead: number;
  size?: number;
  /** True once the whole input was read: `read` is then the exact total. */
  readDone: boolean;
}

export type ProgressMode = "bar" | "lines" | "none";

export interface ProgressOptions {
  mode: ProgressMode;
  stream: NodeJS.WritableStream & { columns?: number };
  color: boolean;
  label: string;
  /** How often the bar redraws (ms). */
  barIntervalMs?: number;
  /** How often a plain line is printed when not on a terminal (ms). */
  lineIntervalMs?: number;
  now?: () => number;
}

/** Rate over a sliding window, so the ETA follows the current pace and not the start-up. */
class Rate {
  private samples: Array<[number, number]> = [];
  constructor(private readonly windowMs = 10_000) {}
  add(at: number, value: number) {
    this.samples.push([at, value]);
    while (this.samples.length > 2 && at - this.samples[0]![0] > this.windowMs) this.samples.shift();
  }
  perSecond(): number | undefined {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last[0] - first[0] < 500) return undefined;
    return ((last[1] - first[1]) * 1000) / (last[0] - first[0]);
  }
}

export interface Estimate {
  /** Leads expected in all (exact once reading is done); undefined when unknowable (stdin, still reading). */
  total?: number;
  /** 0..1 of the expected total that is settled. */
  fraction?: number;
  rate?: number;
  etaSeconds?: number;
}

/** Total from bytes: rows read so far, scaled by the share of the file they came from. */
export function estimate(s: ProgressSnapshot, rate: number | undefined): Estimate {
  let total: number | undefined;
  if (s.readDone) total = s.read;
  else if (s.size && s.bytesRead > 0 && s.read > 0)
    total = Math.max(s.read, Math.round((s.read * s.size) / s.bytesRead));
  const work = total === undefined ? undefined : total - s.resumed;
  const done = s.settled;
  const fraction = work === undefined ? undefined : work <= 0 ? 1 : Math.min(1, done / work);
  const etaSeconds =
    work !== undefined && rate !== undefined && rate > 0 ? Math.max(0, (work - done) / rate) : undefined;
  return { total, fraction, rate, etaSeconds };
}

/**
 * The live display: a redrawn one-line bar on a terminal, a plain line every few seconds otherwise
 * (CI logs), nothing with --quiet. Writes to stderr so that stdout stays the result alone.
 */
export class Progress {
  private timer?: NodeJS.Timeout;
  private readonly rate = new Rate();
  private readonly now: () => number;
  private readonly s: Style;
  private drawn = false;
  private frame = 0;

  constructor(
    private readonly options: ProgressOptions,
    private readonly snapshot: () => ProgressSnapshot,
  ) {
    this.now = options.now ?? Date.now;
    this.s = style(options.color);
  }

  start(): void {
    if (this.options.mode === "none") return;
    const interval =
      this.options.mode === "bar" ? (this.options.barIntervalMs ?? 100) : (this.options.lineIntervalMs ?? 5_000);
    if (this.options.mode === "bar") this.options.stream.write("\x1b[?25l"); // hide the cursor while redrawing
    this.timer = setInterval(() => this.tick(), interval);
    this.timer.unref();
    if (this.options.mode === "bar") this.tick();
  }

  private tick(): void {
    const snap = this.snapshot();
    this.rate.add(this.now(), snap.settled);
    if (this.options.mode === "bar") this.drawBar(snap);
    else this.options.stream.write(`${this.line(snap)}\n`);
  }

  /** A plain progress line, for logs. */
  line(snap: ProgressSnapshot): string {
    const est = estimate(snap, this.rate.perSecond());
    const parts = [
      `${this.options.label}:`,
      `read ${count(snap.read)}${snap.readDone ? "" : "+"} rows,`,
      `sent ${count(snap.sent)},`,
      `acknowledged ${count(snap.acked)}`,
    ];
    if (snap.resumed) parts.push(`(+${count(snap.resumed)} from journal)`);
    const extra: string[] = [];
    if (est.fraction !== undefined) extra.push(`${Math.floor(est.fraction * 100)}%`);
    if (est.rate !== undefined) extra.push(`${count(est.rate)}/s`);
    if (est.etaSeconds !== undefined) extra.push(`ETA ${duration(est.etaSeconds)}`);
    return extra.length ? `${parts.join(" ")} — ${extra.join(", ")}` : parts.join(" ");
  }

  /** The bar line, fitted to `columns` (never wider, so that it never wraps and leaves debris). */
  bar(snap: ProgressSnapshot, columns: number): string {
    const { s } = this;
    const est = estimate(snap, this.rate.perSecond());
    const spinner = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"[this.frame++ % 10]!;
    const pct = est.fraction === undefined ? "  ?%" : `${String(Math.floor(est.fraction * 100)).padStart(3)}%`;
    const counts = `read ${count(snap.read)} · sent ${count(snap.sent)} · acked ${count(snap.acked)}`;
    const pace = [
      est.rate === undefined ? "" : `${count(est.rate)}/s`,
      est.etaSeconds === undefined ? "" : `ETA ${duration(est.etaSeconds)}`,
    ]
      .filter(Boolean)
      .join(" · ");
    const head = `${s.cyan(spinner)} ${this.options.label}`;
    const tail = ` ${pct}  ${counts}${pace ? `  ${pace}` : ""}`;
    const room = columns - visible(head).length - visible(tail).length - 3;
    const width = Math.min(30, room);
    if (width >= 8) {
      const filled = est.fraction === undefined ? 0 : Math.round(est.fraction * width);
      const bar = s.green("█".repeat(filled)) + s.dim("░".repeat(width - filled));
      return `${head} ${bar}${tail}`;
    }
    const short = `${head}${tail}`;
    return visible(short).length <= columns - 1 ? short : visible(short).slice(0, Math.max(0, columns - 1));
  }

  private drawBar(snap: ProgressSnapshot): void {
    // A pseudo-terminal without a size reports 0 columns.
    const columns = this.options.stream.columns || 80;
    this.options.stream.write(`\r\x1b[2K${this.bar(snap, columns)}`);
    this.drawn = true;
  }

  /** Stops redrawing, erases the bar and gives the cursor back; a plain-line display prints a last line. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.options.mode === "bar") {
      if (this.drawn) this.options.stream.write("\r\x1b[2K");
      this.options.stream.write("\x1b[?25h");
      this.drawn = false;
    } else if (this.options.mode === "lines") {
      this.options.stream.write(`${this.line(this.snapshot())}\n`);
    }
  }
}
