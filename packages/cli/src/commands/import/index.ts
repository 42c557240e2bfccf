import type { LeadBridge } from "leadbridge";
import { type OpenedInput, openInput } from "../../input/index.js";
import { type ImportJournal, importFingerprint, openJournal, type ResumeState } from "../../journal.js";
import { createMapping, customFieldNames, describeFields, type Mapping } from "../../mapping.js";
import { DEFAULT_REDIS_TTL_HOURS, openSharedImport, type RedisLink } from "../../redis.js";
import { ReportWriter } from "../../report.js";
import { type Sandbox, startSandbox } from "../../sandbox.js";
import type { Style } from "../../term.js";
import { colorEnabled, count, style } from "../../term.js";
import { customFieldsNotice, descriptorOf } from "../../vendors.js";
import type { Io } from "../context.js";
import { type ListTarget, listTarget } from "./create-list.js";
import { makeBridge } from "./failure.js";
import { type ImportFlags, type ImportPlan, readPlan } from "./flags.js";
import { importRows } from "./run.js";

export type { ImportFlags } from "./flags.js";
export { commandLine } from "./summary.js";

/** `leadbridge import`: the whole command, from flags to exit code. */
export async function runImport(file: string, given: ImportFlags, io: Io): Promise<number> {
  const started = Date.now();
  const e = style(colorEnabled(io.stderr, io.env));
  const o = style(colorEnabled(io.stdout, io.env));
  // 1. Everything that can be checked without reading the input or the network.
  const plan = readPlan(file, given, io);
  const info = (line: string) => {
    if (!plan.flags.quiet && !plan.flags.json) io.stderr.write(`${line}\n`);
  };

  // 2. The input, up to its first data row, and the column mapping.
  const { flags } = plan;
  const input = await openInput({
    path: file,
    format: plan.format,
    delimiter: plan.delimiter,
    maxRowSize: flags.maxRowSize,
  });
  let sandbox: Sandbox | undefined;
  let journal: ImportJournal | undefined;
  let redis: RedisLink | undefined;
  let report: ReportWriter | undefined;
  const abort = new AbortController();
  try {
    const mapping = createMapping(input.columns, { map: flags.map, customFields: flags.customFields });
    const unsent = customFieldsNotice(plan.vendor, customFieldNames(mapping));
    for (const notice of [...input.notices, ...mapping.notices, ...(unsent ? [unsent] : [])]) {
      info(e.yellow(`! ${notice}`));
    }
    describeMapping(input, mapping, info, e);

    // 3. The journal: resume what an earlier run of this command acknowledged.
    let resume: ResumeState | undefined;
    // The target is part of the fingerprint: a --base-url typo must never skip rows of the real import.
    const target = plan.baseUrl ?? "default";
    let bridge = plan.bridge;
    if (plan.redisUrl) {
      const shared = await openSharedImport({
        url: plan.redisUrl,
        ttlHours: flags.redisTtl ?? DEFAULT_REDIS_TTL_HOURS,
        env: io.env,
        file,
        fingerprint: () => importFingerprint(file, plan.destination, flags, plan.delimiter, target),
        fresh: flags.resume === false,
        resendInDoubt: flags.resendUnknown === true || descriptorOf(plan.vendor).resendSafe,
        onError: () => abort.abort(),
      });
      ({ link: redis, journal, resume } = shared);
      if (shared.note) info(shared.note);
      const vendorConfig = { ...(plan.baseUrl ? { baseUrl: plan.baseUrl } : {}), rateLimit: redis.pacing };
      bridge = makeBridge({ [plan.vendor]: vendorConfig, defaultCountry: plan.defaultCountry });
    }
    if (plan.journalPath) {
      const opened = await openJournal(plan.journalPath, file, plan.destination, flags, plan.delimiter, target);
      ({ journal, resume } = opened);
      if (opened.note) info(opened.note);
    }
    const force = flags.force === true;
    report = flags.report
      ? new ReportWriter(flags.report, input.columns, { force, onError: () => abort.abort() })
      : undefined;

    // 4. Where the leads go.
    if (plan.sandboxed) {
      sandbox = await startSandbox(plan.vendor, plan.destination);
      bridge = makeBridge({ ...sandbox.config, defaultCountry: plan.defaultCountry });
      const line = `Sandbox: importing into a local ${descriptorOf(plan.vendor).displayName} simulator at ${sandbox.url} — nothing leaves this machine.`;
      if (!flags.json) io.stderr.write(`${e.cyan(line)}\n`);
    }
    // 5. The list --create-list names, or the lists an earlier run of this command created.
    const lists = await importTarget(plan, bridge!, resume !== undefined, io);
    const ctx = { io, plan, input, mapping, bridge: bridge!, abort, journal, resume, report, sandbox, started, e, o };
    return await importRows({ ...ctx, target: lists });
  } finally {
    input.close();
    journal?.close();
    await journal?.drain?.();
    await redis?.close();
    await report?.close();
    await sandbox?.close();
  }
}

/** The lists of --create-list / --overflow new-list (none for a dry run); the plan then names the list to send to. */
async function importTarget(
  plan: ImportPlan,
  bridge: LeadBridge,
  resumed: boolean,
  io: Io,
): Promise<ListTarget | undefined> {
  const { flags } = plan;
  if (plan.dryRun || (flags.createList === undefined && flags.overflow !== "new-list")) return undefined;
  const target = await listTarget({
    bridge,
    vendor: plan.vendor,
    destination: plan.destination,
    createName: flags.createList,
    owner: flags.listOwner,
    journalPath: plan.journalPath,
    resumed,
    info: (line) => (flags.json || flags.quiet ? undefined : io.stderr.write(`${line}\n`)),
  });
  plan.destination = target.destination;
  return target;
}

function describeMapping(input: OpenedInput, mapping: Mapping, info: (line: string) => void, e: Style): void {
  if (!input.columns) {
    info(e.dim(`Reading ${input.name} as JSON Lines; keys are matched to lead fields as they appear.`));
    return;
  }
  const pairs = describeFields(mapping.fields);
  info(`Columns: ${pairs.length ? pairs.join(", ") : e.yellow("none recognised (see --map)")}`);
  if (mapping.custom.length) info(e.dim(`Custom fields: ${names(mapping.custom)}`));
  if (mapping.dropped.length) info(e.dim(`Not imported: ${names(mapping.dropped)}`));
}

/** Column names for one line: a wide header is summarised, not printed whole. */
function names(columns: string[], shown = 20): string {
  if (columns.length <= shown) return columns.join(", ");
  return `${columns.slice(0, shown).join(", ")}, … and ${count(columns.length - shown)} more (${count(columns.length)} in all)`;
}
