import { CODES, type Code, type Severity } from "./codes.js";

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

/** A problem found in a model. Diagnostics are data: collected, never thrown. */
export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  readonly span: Span;
  readonly message: string;
  readonly labels?: readonly Label[];
  readonly hint?: string;
}

/** Builds a diagnostic with the catalogue's default severity for its code. */
export function diagnostic(
  code: Code,
  span: Span,
  message: string,
  extra: { readonly labels?: readonly Label[]; readonly hint?: string | undefined } = {},
): Diagnostic {
  return {
    code,
    severity: CODES[code].severity,
    span,
    message,
    ...(extra.labels && extra.labels.length > 0 ? { labels: extra.labels } : {}),
    ...(extra.hint !== undefined ? { hint: extra.hint } : {}),
  };
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
