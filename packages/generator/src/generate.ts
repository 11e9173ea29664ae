/**
 * Model → generated files. Pure: no file system. The Model is lowered once (`lower/`: every
 * name, path and import decided), then one emitter per output kind reads the GenModel (and the
 * Model's declarations for their shapes) and returns the views of its files; emitters never call
 * each other. Each view is rendered through its kind's template (`render/`): the built-in one, or
 * the user's when `options.templates` has one, which may also add files.
 */
import type { Model } from "@eda/language";
import { emitAlerts } from "./emit/alerts.js";
import { emitDashboard } from "./emit/dashboard.js";
import { emitAggregates } from "./emit/aggregates.js";
import { emitApp } from "./emit/app.js";
import { emitCodec } from "./emit/codec.js";
import { emitDecisions } from "./emit/decisions.js";
import { emitDiagrams } from "./emit/diagrams.js";
import { emitIndex } from "./emit/index-module.js";
import { emitJsonSchemas } from "./emit/json-schema.js";
import { emitProjections } from "./emit/projections.js";
import { emitRegistry } from "./emit/registry.js";
import { emitSchemas } from "./emit/schemas.js";
import { emitServices } from "./emit/services.js";
import { emitSupport } from "./emit/support.js";
import { emitTesting } from "./emit/testing.js";
import { emitUpcasters } from "./emit/upcasters.js";
import { emitWorkflows } from "./emit/workflows.js";
import type { OperationsConfig } from "./emit/operations-view.js";
import type { GeneratedFile } from "./generated-file.js";
import type { GenModel } from "./lower/gen-model.js";
import { lower } from "./lower/lower.js";
import { renderFiles } from "./render/render.js";
import type { TemplateProblem, UserTemplates } from "./render/user-templates.js";

export type { GeneratedFile } from "./generated-file.js";

/** What besides the model shapes the output. */
export interface GenerateOptions {
  /** Alert thresholds (`eda.config.json`'s `operations` key); defaults otherwise. */
  readonly operations?: OperationsConfig;
  /**
   * `uuid`, `timestamp`, `date`, `email` and `decimal` fields get branded types (`string &
   * z.$brand<"Timestamp">`), so a plain string does not pass for one; `support.ts` exports a
   * parsing constructor per brand (`timestamp(value)`). Off by default (`eda.config.json`:
   * `"brandedScalars": true`).
   */
  readonly brandedScalars?: boolean;
  /**
   * The user's templates (`eda.config.json`'s `templates` folder), compiled by
   * `compileTemplates` of `@eda/generator/templates`: they replace built-in templates and add files.
   */
  readonly templates?: UserTemplates;
}

/** The files, and the problems of the user's templates (none without them). */
export interface GenerateResult {
  readonly files: GeneratedFile[];
  /** A file whose template failed is left out; the caller should write nothing when there are problems. */
  readonly problems: TemplateProblem[];
  /** The lowering the files came from, for a caller that also scaffolds (`scaffold`'s `gen`): lowered once. */
  readonly gen: GenModel;
}

/**
 * Generates the code of a model that checked without errors. Same model and options, same bytes.
 * Throws when a user template fails; `generateFiles` reports that as problems instead.
 */
export function generate(model: Model, options: GenerateOptions = {}): GeneratedFile[] {
  const { files, problems } = generateFiles(model, options);
  const first = problems[0];
  if (first !== undefined) throw new Error(`${first.file}${first.line === undefined ? "" : `:${first.line}`}: ${first.message}`);
  return files;
}

/** Generates the code of a model that checked without errors, with what went wrong in user templates. */
export function generateFiles(model: Model, options: GenerateOptions = {}): GenerateResult {
  const gen = lower(model, { brandedScalars: options.brandedScalars === true });
  const views = [
    ...emitSupport(gen),
    ...emitSchemas(gen, model),
    ...emitUpcasters(gen, model),
    ...emitCodec(gen, model),
    ...emitJsonSchemas(gen, model),
    ...emitRegistry(gen, model),
    ...emitIndex(gen),
    ...emitAggregates(gen, model),
    ...emitServices(gen, model),
    ...emitProjections(gen, model),
    ...emitTesting(gen, model),
    ...emitDecisions(gen),
    ...emitWorkflows(gen, model),
    ...emitApp(gen, model),
    ...emitDiagrams(gen, model),
    ...emitAlerts(gen, options.operations),
    ...emitDashboard(gen, options.operations),
  ];
  const { files, problems } = renderFiles(views, gen, model.contexts, options.templates);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  assertDistinctPaths(files);
  return { files, problems, gen };
}

/**
 * The checker refuses models whose outputs would share a path on a case-insensitive file system
 * (EDA2015, EDA2016); two such files here are a bug, never a silent overwrite.
 */
function assertDistinctPaths(files: readonly GeneratedFile[]): void {
  const seen = new Map<string, string>();
  for (const f of files) {
    const key = f.path.toLowerCase();
    const other = seen.get(key);
    if (other !== undefined) throw new Error(`eda bug: ${JSON.stringify(other)} and ${JSON.stringify(f.path)} are the same file on a case-insensitive file system`);
    seen.set(key, f.path);
  }
}
