/**
 * The catalogue of diagnostic codes. Codes are stable: once published, a code keeps its meaning.
 * Each code carries its wording as templates (`message.ts`); call sites pass data (`report`).
 *
 * EDA1xxx syntax · EDA2xxx names and types · EDA3xxx versions and upcasting ·
 * EDA4xxx aggregates, services and projections · EDA5xxx workflows · EDA6xxx conventions and pitfalls ·
 * EDA7xxx evolution (the model compared with a baseline: `compareModels`, `eda check --against`)
 *
 * A `notice` is information that needs an action but is not a defect (a read model to rebuild).
 */
import { AGGREGATES_CODES } from "./aggregates.js";
import { CONVENTIONS_CODES } from "./conventions.js";
import { EVOLUTION_CODES } from "./evolution.js";
import type { Stage } from "./info.js";
import { NAMES_CODES } from "./names.js";
import { SYNTAX_CODES } from "./syntax.js";
import { VERSIONS_CODES } from "./versions.js";
import { WORKFLOWS_CODES } from "./workflows.js";

export type { CodeInfo, Severity, Stage } from "./info.js";

/** Every code, by its id (`EDA2001`). */
export const CODES = {
  ...SYNTAX_CODES,
  ...NAMES_CODES,
  ...VERSIONS_CODES,
  ...AGGREGATES_CODES,
  ...WORKFLOWS_CODES,
  ...CONVENTIONS_CODES,
  ...EVOLUTION_CODES,
};

export type Code = keyof typeof CODES;

/** The stage of the front end that reports `code`. */
export function stageOf(code: Code): Stage {
  return CODES[code].stage;
}
