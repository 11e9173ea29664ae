/**
 * The output's `index.ts`: every context's schemas as a namespace, and the model-wide codec
 * (its table and factory; `DeserializeError`, `REDACTED` and the rest come from `@eda/runtime`).
 */
import type { Model } from "@eda/language";
import type { GeneratedFile } from "../generated-file.js";
import { contextDir, header } from "../names.js";
import { renderModule } from "../templates.js";
import { schemasAlias } from "./schemas.js";

export function emitIndex(model: Model): GeneratedFile[] {
  const lines = model.contexts.map((c) => `export * as ${schemasAlias(c.name)} from "./${contextDir(c.name)}/schemas.js";`);
  const codec = [
    "export {",
    "  codecTable,",
    "  createCodec,",
    "  type AnyCommand,",
    "  type AnyEvent,",
    "  type UpcastHooks,",
    '} from "./codec.js";',
  ];
  return [{ path: "index.ts", content: renderModule({ header: header(model.files), imports: [], blocks: [lines, codec] }) }];
}
