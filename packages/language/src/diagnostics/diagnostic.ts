import { CODES, type Code, type Severity } from "./codes/index.js";
import { LABELS } from "./codes/labels.js";
import type { MessageData, MessageTemplate } from "./message.js";

/** A range of a source file, as UTF-16 offsets into its text: `start` inclusive, `end` exclusive. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** A second place to look, with a short note ("first declared here"). */
export interface Label {
  readonly span: Span;
  readonly message: string;
}

/**
 * The edit a hint proposes ("Did you mean `OrderPlaced`?"): `replacement` in place of `span`. An
 * editor offers it as a quick fix as it stands; nothing reads it back out of the hint's words.
 */
export interface Fix {
  readonly span: Span;
  readonly replacement: string;
}

/** A problem found in a model. Diagnostics are data: collected, never thrown. */
export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  readonly span: Span;
  readonly message: string;
  readonly labels?: readonly Label[];
  readonly hint?: string;
  readonly fix?: Fix;
}

/** Builds a diagnostic with the catalogue's default severity for its code. */
export function diagnostic(
  code: Code,
  span: Span,
  message: string,
  extra: { readonly labels?: readonly Label[]; readonly hint?: string | undefined; readonly fix?: Fix | undefined } = {},
): Diagnostic {
  return {
    code,
    severity: CODES[code].severity,
    span,
    message,
    ...(extra.labels && extra.labels.length > 0 ? { labels: extra.labels } : {}),
    ...(extra.hint !== undefined ? { hint: extra.hint } : {}),
    ...(extra.fix !== undefined ? { fix: extra.fix } : {}),
  };
}

type Catalogue = typeof CODES;
/** A code of the catalogue (every code has its wording there). */
export type CatalogueCode = Code;
type Messages<C extends CatalogueCode> = Catalogue[C] extends { readonly messages: infer M } ? M : never;
type Hints<C extends CatalogueCode> = Catalogue[C] extends { readonly hints: infer H } ? H : Record<never, never>;
/** A message variant of a code: `default` or one of its named cases. */
export type Variant<C extends CatalogueCode> = keyof Messages<C> & string;
/** A hint of a code, by name. */
export type HintName<C extends CatalogueCode> = keyof Hints<C> & string;
/** The hint a variant takes when the call site names none: its own, else the default, else none. */
type VariantHint<C extends CatalogueCode, V extends string> = V extends keyof Hints<C> ? V : "default" extends keyof Hints<C> ? "default" : never;
type HintData<C extends CatalogueCode, H extends string> = [H] extends [never] ? unknown : H extends keyof Hints<C> ? MessageData<Hints<C>[H]> : never;
/** What a call site passes: the parameters of the variant's message and of the hint shown. */
export type ReportData<C extends CatalogueCode, V extends Variant<C>, H extends HintName<C> | null = never> = MessageData<Messages<C>[V]> &
  HintData<C, [H] extends [never] ? VariantHint<C, V> : Exclude<H, null>>;

/**
 * Builds a diagnostic whose wording is the catalogue's: the message of `code` for the variant
 * and a hint — the one the call site names (`hint: "guess"`; `null` for none), else the
 * variant's own, else the default — filled with `data`.
 */
export function report<C extends CatalogueCode, V extends Variant<C> = "default" & Variant<C>, H extends HintName<C> | null = never>(
  code: C,
  span: Span,
  data: NoInfer<ReportData<C, V, H>>,
  extra: { readonly variant?: V; readonly hint?: H; readonly labels?: readonly Label[]; readonly fix?: Fix | undefined } = {},
): Diagnostic {
  const info = CODES[code] as { readonly messages: Record<string, MessageTemplate>; readonly hints?: Record<string, MessageTemplate> };
  const variant: string = extra.variant ?? "default";
  const fill = (t: MessageTemplate): string => t.format(data as Record<string, string | number>);
  const template = info.messages[variant] as MessageTemplate;
  const hintTemplate = extra.hint === null ? undefined : extra.hint !== undefined ? info.hints?.[extra.hint] : (info.hints?.[variant] ?? info.hints?.["default"]);
  return diagnostic(code, span, fill(template), { ...(extra.labels ? { labels: extra.labels } : {}), hint: hintTemplate ? fill(hintTemplate) : undefined, fix: extra.fix });
}

/** The name of a label's note in the catalogue (`codes/labels.ts`). */
export type LabelName = keyof typeof LABELS;

/** A label worded by the catalogue: a second place to look, with its note filled with `data`. */
export function label<K extends LabelName>(span: Span, name: K, ...data: keyof MessageData<(typeof LABELS)[K]> extends never ? [] : [MessageData<(typeof LABELS)[K]>]): Label {
  return { span, message: (LABELS[name] as MessageTemplate).format(data[0] ?? {}) };
}

/** Orders diagnostics by file, then position, then code: the order every consumer shows them in. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : 0) ||
      a.span.start - b.span.start ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

/** True when any diagnostic is an error. */
export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === "error");
}

/** How many problems of one file are reported; the rest are counted in one closing EDA1014. */
export const MAX_DIAGNOSTICS_PER_FILE = 100;

/**
 * Sorts diagnostics (as `sortDiagnostics`) keeping `MAX_DIAGNOSTICS_PER_FILE` of each file — its
 * first errors, then its first warnings if there is room — and closes each cut file with one EDA1014 that counts the rest. EDA1014 is an error when
 * any problem it stands for is one, so the exit status is the same as without the cap. Only the
 * kept ones are fully sorted: junk input can give millions of diagnostics.
 */
export function sortAndCap(list: readonly Diagnostic[], omitted: ReadonlyMap<string, Omitted> = new Map()): Diagnostic[] {
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of list) {
    const own = byFile.get(d.span.file);
    if (own) own.push(d);
    else byFile.set(d.span.file, [d]);
  }
  const out: Diagnostic[] = [];
  for (const file of [...byFile.keys()].sort()) {
    const own = byFile.get(file) as Diagnostic[];
    const before = omitted.get(file) ?? { errors: 0, warnings: 0 };
    if (own.length <= MAX_DIAGNOSTICS_PER_FILE) {
      const sorted = sortDiagnostics(own);
      for (const d of sorted) out.push(d);
      if (before.errors + before.warnings > 0) out.push(tooMany(count([], before), (sorted[sorted.length - 1] as Diagnostic).span));
      continue;
    }
    const errors = own.filter((d) => d.severity === "error");
    const warnings = errors.length >= MAX_DIAGNOSTICS_PER_FILE ? [] : own.filter((d) => d.severity !== "error");
    const shown = sortDiagnostics([...first(errors, MAX_DIAGNOSTICS_PER_FILE), ...first(warnings, MAX_DIAGNOSTICS_PER_FILE - errors.length)]);
    for (const d of shown) out.push(d);
    const kept = new Set(shown);
    const rest = own.filter((d) => !kept.has(d));
    const earliest = rest.reduce((a, b) => (b.span.start < a.span.start ? b : a));
    out.push(tooMany(count(rest, before), earliest.span));
  }
  return out;
}

/** The first `n` of some diagnostics by position, without sorting them all. */
function first(list: readonly Diagnostic[], n: number): Diagnostic[] {
  if (list.length <= n) return [...list];
  if (n <= 0) return [];
  const cut = Float64Array.from(list, (d) => d.span.start).sort()[n - 1] as number;
  return sortDiagnostics(list.filter((d) => d.span.start <= cut)).slice(0, n);
}

/** Diagnostics left out of a file's list, by severity. */
export interface Omitted {
  readonly errors: number;
  readonly warnings: number;
}

function count(rest: readonly Diagnostic[], before: Omitted): Omitted {
  const errors = rest.filter((d) => d.severity === "error").length;
  return { errors: before.errors + errors, warnings: before.warnings + rest.length - errors };
}

/** The closing diagnostic of a cut file, at the earliest problem it leaves out. */
function tooMany({ errors, warnings }: Omitted, span: Span): Diagnostic {
  const count = (n: number, word: string): string => `${n.toLocaleString("en-US")} more ${word}${n === 1 ? "" : "s"}`;
  const what = warnings === 0 ? count(errors, "error") : errors === 0 ? count(warnings, "warning") : `${count(errors, "error")} and ${count(warnings, "warning")}`;
  return { ...report("EDA1014", span, { what, max: MAX_DIAGNOSTICS_PER_FILE }), severity: errors > 0 ? "error" : "warning" };
}

/**
 * Keeps the first `limit` diagnostics pushed (a stream that reports in the order of the text,
 * such as the lexer's) and only counts the rest, so junk input does not hold millions of them.
 */
export class DiagnosticBudget {
  readonly kept: Diagnostic[] = [];
  errors = 0;
  warnings = 0;
  constructor(private readonly limit = MAX_DIAGNOSTICS_PER_FILE) {}

  push(d: Diagnostic): void {
    if (this.kept.length < this.limit) this.kept.push(d);
    else if (d.severity === "error") this.errors++;
    else this.warnings++;
  }
}
