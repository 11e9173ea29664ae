/**
 * The output's `index.ts`: every context's schemas as a namespace, and the model-wide codec
 * (its table and factory; `DeserializeError`, `REDACTED` and the rest come from `@eda/runtime`).
 */
import type { GenModel } from "../lower/gen-model.js";
import { moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";

export function emitIndex(gen: GenModel): FileView[] {
  const contexts = gen.contexts.map((c) => ({ alias: c.aliases.schemas, folder: c.folder }));
  return [fileView("index", gen.modules.index.path, { ...moduleHead(gen.modules.index), contexts })];
}
