/** The shape of a catalogue entry; the entries themselves are in this folder, one file per group. */
import type { MessageTemplate } from "../message.js";

export type Severity = "error" | "warning" | "notice";

/**
 * The stage of the front end that finds a problem: `syntax` (lexer, parser, doc comments; the
 * text has not the language's form — every EDA1xxx), `resolve` (names, types, versions,
 * mappings), `check` (rules over the whole Model), `evolution` (the model compared with a
 * baseline, `compareModels`). Ask `stageOf(code)`, never compare code strings.
 */
export type Stage = "syntax" | "resolve" | "check" | "evolution";

/** One code of the catalogue: its name, default severity, stage and wording. */
export interface CodeInfo {
  readonly name: string;
  readonly severity: Severity;
  readonly stage: Stage;
  /**
   * The wording, as templates a call site fills with data (`report` in `diagnostic.ts`):
   * `default`, and named variants for other cases of the same problem.
   */
  readonly messages: { readonly default: MessageTemplate } & { readonly [variant: string]: MessageTemplate };
  /**
   * Hints, filled with the same data. A call site may name one (`hint: "guess"`); otherwise
   * the message variant's own hint is taken, or else the `default` hint, if there is one.
   */
  readonly hints?: { readonly [name: string]: MessageTemplate };
}
