/**
 * Model → generated files. Pure: no file system. One emitter per output kind; each lowers the
 * Model to a small view and fills a template.
 */
import type { Model } from "@eda/language";
import { emitCodec } from "./emit/codec.js";
import { emitIndex } from "./emit/index-module.js";
import { emitJsonSchemas } from "./emit/json-schema.js";
import { emitSchemas } from "./emit/schemas.js";
import { emitSupport } from "./emit/support.js";
import { emitUpcasters } from "./emit/upcasters.js";

/** One file of output, its path relative to the output folder. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

/** Generates the code of a model that checked without errors. Same model, same bytes. */
export function generate(model: Model): GeneratedFile[] {
  const files = [...emitSupport(model), ...emitSchemas(model), ...emitUpcasters(model), ...emitCodec(model), ...emitJsonSchemas(model), ...emitIndex(model)];
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
