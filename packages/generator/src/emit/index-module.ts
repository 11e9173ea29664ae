/**
 * The output's `index.ts`: every context's schemas as a namespace, and the model-wide codec
 * (its table and factory; `DeserializeError`, `REDACTED` and the rest come from `@eda/runtime`).
 */
import type { GeneratedFile } from "../generated-file.js";
import type { GenModel } from "../lower/gen-model.js";
import { moduleFile } from "../module-file.js";

export function emitIndex(gen: GenModel): GeneratedFile[] {
  const lines = gen.contexts.map((c) => `export * as ${c.aliases.schemas} from "./${c.folder}/schemas.js";`);
  const codec = [
    "export {",
    "  codecTable,",
    "  createCodec,",
    "  type AnyCommand,",
    "  type AnyEvent,",
    "  type UpcastHooks,",
    '} from "./codec.js";',
  ];
  return [moduleFile(gen.modules.index, [lines, codec])];
}
