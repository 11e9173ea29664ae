/**
 * `eda corpus synth|capture|check`: a replay corpus of stored event shapes. `synth` writes samples
 * of every event version, made from the model (deterministic by seed); `capture` samples real
 * events from a store, their personal data replaced by synthetic values; `check` replays every sample
 * through the current model's generated `deserialize` — validation of its own version, the
 * upcast chain, validation of the current version — and names each one that fails. Run `check`
 * in CI with a corpus committed from an earlier release: old events are proven readable.
 *
 * A fixture file is `<out>/<context>/<Event>.v<N>.json`:
 * `{ "type": "OrderPlaced", "version": 1, "samples": [ {…payload…}, … ], "stored": [ {…facts…}, … ] }`.
 * `stored`, optional, beside `samples` one for one, holds what the store recorded of each sample
 * (`time`, `stream`, `position`, …; null for none): what the upcasts' `compute` hooks may read.
 * `capture` writes the facts the store itself assigned (time and positions); the stream, ids and
 * metadata come from the application and may carry personal data, so they are left out.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { loadConfig, type EdaConfig } from "../config.js";
import { CliError, describeFsError, EXIT } from "../errors.js";
import { readInputs } from "../sources.js";
import { loadCodec, loadModelCodec, loadProjectRuntime, type ProjectRuntime } from "../store/load-model-codec.js";
import { open, storeUrl } from "./store-verify.js";
import type { Terminal } from "../terminal.js";

export interface SynthOptions {
  readonly out: string;
  readonly count: number;
  readonly seed: number;
}

export async function runCorpusSynth(paths: readonly string[], options: SynthOptions, term: Terminal): Promise<number> {
  const [{ compile, hasErrors, renderDiagnostics, contextFolder }, { synthesizeCorpus }] = await Promise.all([import("@eda/language"), import("@eda/generator")]);
  const sources = (await readInputs(paths, term.cwd)).map((i) => i.source);
  const { model, diagnostics } = compile(sources);
  if (hasErrors(diagnostics)) {
    term.err(renderDiagnostics(diagnostics, new Map(sources.map((s) => [s.path, s.text])), { colors: term.errColors }));
    return EXIT.problems;
  }
  const { fixtures, problems } = synthesizeCorpus(model, { seed: options.seed, count: options.count });
  for (const p of problems) term.err(`eda: no samples of ${p.type} v${p.version}: field ${p.field}: ${p.reason}\n`);
  await writeFixtures(fixtures.map((f) => ({ ...f, folder: contextFolder(f.context) })), options.out, term);
  return problems.length > 0 ? EXIT.problems : EXIT.ok;
}

/** Writes `<out>/<folder>/<Type>.v<N>.json` per fixture and says how many samples went where. */
async function writeFixtures(
  fixtures: readonly { folder: string; type: string; version: number; samples: readonly unknown[]; stored?: readonly CapturedFacts[] }[],
  outDir: string,
  term: Terminal,
): Promise<void> {
  const out = resolve(term.cwd, outDir);
  // One sample per line: a diff shows which samples changed, and the file stays compact to parse.
  const list = (name: string, items: readonly unknown[]): string => `  ${JSON.stringify(name)}: [${items.length === 0 ? "" : `\n    ${items.map((i) => JSON.stringify(i)).join(",\n    ")}\n  `}]`;
  for (const f of fixtures) {
    const file = join(out, f.folder, `${f.type}.v${f.version}.json`);
    const lists = [list("samples", f.samples), ...(f.stored === undefined ? [] : [list("stored", f.stored)])];
    await writeNew(file, `{\n  "type": ${JSON.stringify(f.type)},\n  "version": ${f.version},\n${lists.join(",\n")}\n}\n`);
  }
  const samples = fixtures.reduce((n, f) => n + f.samples.length, 0);
  term.out(`wrote ${count(samples, "sample")} of ${count(fixtures.length, "event version")} to ${relative(term.cwd, out) || "."}/\n`);
}

export interface CaptureOptions {
  readonly store?: string;
  readonly out: string;
  readonly count: number;
  readonly seed: number;
  readonly env?: NodeJS.ProcessEnv;
}

interface ReadableStore {
  readAll(from: number, batch: number): Promise<readonly { type: string; version: number; position: number; globalPosition: number; time: string; payload: unknown }[]>;
  close(): Promise<void>;
}

/** The facts of a captured event that the store assigned itself, so never personal data. */
interface CapturedFacts {
  readonly time: string;
  readonly position: number;
  readonly globalPosition: number;
}

/**
 * `eda corpus capture`: up to `count` events of each type and version, sampled evenly from the
 * whole log (reservoir sampling, deterministic by seed), their `@pii` values replaced. Events the
 * model does not know are left out (their personal data cannot be found) and counted on stderr.
 */
export async function runCorpusCapture(paths: readonly string[], options: CaptureOptions, term: Terminal): Promise<number> {
  const config = await loadConfig(term.cwd, { optional: true });
  const url = storeUrl(options, config?.store);
  const [{ compile, hasErrors, contextFolder }, { replacePersonalData, seeded }] = await Promise.all([import("@eda/language"), import("@eda/generator")]);
  const { model, diagnostics } = compile((await readInputs(paths, term.cwd, config)).map((i) => i.source));
  if (hasErrors(diagnostics)) throw new CliError("the model has errors (run `eda check`): its personal data fields are uncertain");
  const { runtime, codec } = await captureRuntime(config, term.cwd);
  const opened = await open(runtime, url);
  // Decrypts the model's `@pii(subject)` fields, so the samples hold the shape `deserialize` reads.
  const store = (codec === undefined || runtime.withEncryption === undefined ? opened : runtime.withEncryption(opened, codec, undefined)) as unknown as ReadableStore;
  const reservoirs = new Map<string, { type: string; version: number; seen: number; samples: { payload: unknown; stored: CapturedFacts }[] }>();
  const random = seeded(options.seed, "capture");
  let unreadable = 0;
  try {
    for (let from = 0; ; ) {
      const batch = await store.readAll(from, 1000);
      if (batch.length === 0) break;
      for (const e of batch) {
        const why = unsampleable(e.payload);
        if (why !== undefined) {
          unreadable++;
          term.err(`eda: left out the event at global position ${e.globalPosition} (${e.type} v${e.version}): ${why}\n`);
          continue;
        }
        const key = `${e.type}@${e.version}`;
        let r = reservoirs.get(key);
        if (!r) reservoirs.set(key, (r = { type: e.type, version: e.version, seen: 0, samples: [] }));
        r.seen++;
        const sample = { payload: e.payload, stored: { time: e.time, position: e.position, globalPosition: e.globalPosition } };
        if (r.samples.length < options.count) r.samples.push(sample);
        else {
          const slot = random(r.seen);
          if (slot < options.count) r.samples[slot] = sample;
        }
      }
      from = (batch[batch.length - 1] as { globalPosition: number }).globalPosition + 1;
    }
  } finally {
    await store.close();
  }
  const contexts = new Map(model.contexts.flatMap((c) => c.events.map((e) => [e.name, c.name] as const)));
  const fixtures = [];
  let unknown = 0;
  for (const r of [...reservoirs.values()].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.version - b.version))) {
    const context = contexts.get(r.type);
    const samples = r.samples.map((s, i) => replacePersonalData(model, r.type, r.version, s.payload, options.seed + i));
    if (context === undefined || samples.some((s) => s === undefined)) {
      unknown += r.seen;
      term.err(`eda: left out ${count(r.seen, "event")} of ${r.type} v${r.version}: the model does not know that version, so its personal data cannot be found\n`);
      continue;
    }
    fixtures.push({ folder: contextFolder(context), type: r.type, version: r.version, samples, stored: r.samples.map((s) => s.stored) });
  }
  await writeFixtures(fixtures, options.out, term);
  return unknown + unreadable > 0 ? EXIT.problems : EXIT.ok;
}

/** The project's runtime, and its generated codec when there is one (it decrypts `@pii(subject)` fields). */
async function captureRuntime(config: EdaConfig | undefined, cwd: string): Promise<{ runtime: ProjectRuntime; codec?: unknown }> {
  const codecFile = config?.out === undefined ? undefined : resolve(config.out, "codec.ts");
  if (config === undefined || codecFile === undefined || !existsSync(codecFile)) return { runtime: await loadProjectRuntime(config?.out ?? cwd, cwd) };
  return loadModelCodec({ codec: codecFile, cwd, config });
}

/** Why a stored payload cannot be a sample, if it cannot: not JSON, or still encrypted. */
function unsampleable(payload: unknown): string | undefined {
  if (typeof payload !== "object" || payload === null) return undefined;
  const marked = payload as Record<string | symbol, unknown>;
  if (marked[Symbol.for("eda.unparsable-json")] === true) return `its ${String(marked["column"])} is not JSON (${String(marked["message"])})`;
  if (ENCRYPTED in marked) return 'its personal data is encrypted and there is no generated codec to decrypt it with (set "out" in eda.config.json and run `eda generate`)';
  return undefined;
}

/** The key under which the runtime keeps a payload's encrypted `@pii(subject)` fields. */
const ENCRYPTED = "eda:enc";

/** Writes a file whole: a temporary sibling, then a rename. */
async function writeNew(file: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    const temp = `${file}.eda-tmp-${process.pid}`;
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (error) {
    throw new CliError(`cannot write '${file}': ${describeFsError(error)}`);
  }
}

export interface CorpusCheckOptions {
  readonly config?: string;
  readonly codec?: string;
  readonly upcasts?: string;
  readonly format?: "text" | "json";
}

interface Fixture {
  readonly file: string;
  readonly type: string;
  readonly version: number;
  readonly samples: readonly unknown[];
  /** What the store recorded of each sample, when the fixture says (`null` or absent: nothing). */
  readonly stored: readonly (StoredFacts | null)[];
}

/** The facts of a stored event a fixture may give, as the runtime's `StoredEventData` takes them. */
type StoredFacts = Readonly<Record<string, unknown>>;

interface Codec {
  deserialize(stored: { type: string; version: number; payload: unknown }): unknown;
}

export async function runCorpusCheck(dir: string, options: CorpusCheckOptions, term: Terminal): Promise<number> {
  const fixtures = await readFixtures(resolve(term.cwd, dir), term.cwd);
  const config = await loadConfig(term.cwd, { ...(options.config !== undefined ? { file: options.config } : {}), optional: true });
  const codecFile = options.codec !== undefined ? resolve(term.cwd, options.codec) : config?.out !== undefined ? resolve(config.out, "codec.ts") : undefined;
  if (codecFile === undefined) throw new CliError('no generated codec to read the corpus with: pass --codec FILE, or set "out" in eda.config.json');
  // The codec alone: the check reads no store.
  const codec = await loadCodec({
    codec: codecFile,
    cwd: term.cwd,
    ...(options.upcasts !== undefined ? { upcasts: resolve(term.cwd, options.upcasts) } : {}),
    ...(config !== undefined ? { config } : {}),
  });
  let samples = 0;
  let failed = 0;
  for (const f of fixtures) {
    f.samples.forEach((payload, i) => {
      samples++;
      try {
        // Without its stored facts, a sample still reads unless a hook needs one (then it fails, naming it).
        (codec as Codec).deserialize({ ...f.stored[i], type: f.type, version: f.version, payload });
      } catch (error) {
        const e = error as { name?: string; reason?: string; field?: string; message?: string };
        if (e.name !== "DeserializeError") throw error;
        failed++;
        const reason = e.reason ?? "unreadable";
        const message = (e.message ?? "").split("\n")[0] ?? "";
        if (options.format === "json") {
          term.out(`${JSON.stringify({ file: f.file, sample: i, type: f.type, version: f.version, reason, ...(e.field === undefined ? {} : { field: e.field }), message })}\n`);
        } else term.out(`${f.file} samples[${i}] ${f.type} v${f.version}: ${reason}${e.field === undefined ? "" : ` at ${e.field}`}\n  ${message}\n`);
      }
    });
  }
  if (options.format === "json") term.err(`${JSON.stringify({ samples, fixtures: fixtures.length, failed })}\n`);
  else term.out(`checked ${count(samples, "sample")} in ${count(fixtures.length, "fixture")}: ${failed === 0 ? "every one reads" : `${count(failed, "sample")} cannot be read`}\n`);
  return failed === 0 ? EXIT.ok : EXIT.problems;
}

/** Every `*.json` fixture below `dir`, in path order; a malformed one is a usage error naming it. */
async function readFixtures(dir: string, cwd: string): Promise<Fixture[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { recursive: true })).filter((n) => n.endsWith(".json")).sort();
  } catch (error) {
    throw new CliError(`cannot read '${relative(cwd, dir)}': ${describeFsError(error)}`);
  }
  if (names.length === 0) throw new CliError(`no fixtures (*.json) in '${relative(cwd, dir) || "."}'`);
  const out: Fixture[] = [];
  for (const name of names) {
    const file = relative(cwd, join(dir, name)).split("\\").join("/");
    let value: unknown;
    try {
      value = JSON.parse(await readFile(join(dir, name), "utf8"));
    } catch (error) {
      throw new CliError(`${file}: not a fixture: ${error instanceof Error ? error.message : String(error)}`);
    }
    const v = value as { type?: unknown; version?: unknown; samples?: unknown; stored?: unknown } | null;
    if (typeof v !== "object" || v === null || typeof v.type !== "string" || !Number.isSafeInteger(v.version) || !Array.isArray(v.samples)) {
      throw new CliError(`${file}: not a fixture: it needs "type" (a string), "version" (a whole number) and "samples" (a list)`);
    }
    out.push({ file, type: v.type, version: v.version as number, samples: v.samples as unknown[], stored: storedFacts(file, v.stored, v.samples.length) });
  }
  return out;
}

/**
 * The facts a fixture's `stored` entry may give (those of the runtime's `StoredEventInfo`), each
 * with its check and what it must be: as the stores give them, so a hook replays as it runs (a
 * time compared as text compares the same).
 */
const FACT_TYPES: Readonly<Record<string, { readonly fits: (value: unknown) => boolean; readonly what: string }>> = {
  time: { fits: (x) => typeof x === "string" && isStoredTime(x), what: "a UTC time as the stores give it, e.g. 2024-01-31T09:30:00.000Z" },
  stream: { fits: (x) => typeof x === "string", what: "a string" },
  messageId: { fits: (x) => typeof x === "string", what: "a string" },
  correlationId: { fits: (x) => typeof x === "string", what: "a string" },
  causationId: { fits: (x) => typeof x === "string" || x === null, what: "a string or null" },
  position: { fits: (x) => Number.isSafeInteger(x) && (x as number) >= 0, what: "a whole number from 0 (a stream's first event)" },
  globalPosition: { fits: (x) => Number.isSafeInteger(x) && (x as number) >= 1, what: "a whole number from 1 (the store's first event)" },
  metadata: { fits: (x) => typeof x === "object" && x !== null && !Array.isArray(x), what: "an object" },
};

/** `Date#toISOString`'s form, which every store gives `time` in. */
function isStoredTime(text: string): boolean {
  const ms = Date.parse(text);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === text;
}

/** A fixture's `stored` list, checked: one object of known facts (or null) per sample. */
function storedFacts(file: string, stored: unknown, samples: number): (StoredFacts | null)[] {
  if (stored === undefined) return [];
  const wrong = (why: string): CliError => new CliError(`${file}: not a fixture: "stored" ${why}`);
  if (!Array.isArray(stored) || stored.length !== samples) throw wrong(`must be a list of one entry per sample (${samples})`);
  return stored.map((facts: unknown, i) => {
    if (facts === null) return null;
    if (typeof facts !== "object" || Array.isArray(facts)) throw wrong(`[${i}] must be an object or null`);
    for (const [key, value] of Object.entries(facts)) {
      const fact = Object.hasOwn(FACT_TYPES, key) ? FACT_TYPES[key] : undefined;
      if (fact === undefined) throw wrong(`[${i}] has "${key}", which is not a stored fact (${Object.keys(FACT_TYPES).join(", ")})`);
      if (!fact.fits(value)) throw wrong(`[${i}].${key} must be ${fact.what}`);
    }
    return facts as StoredFacts;
  });
}

function count(n: number, what: string): string {
  return `${n.toLocaleString("en")} ${what}${n === 1 ? "" : "s"}`;
}
