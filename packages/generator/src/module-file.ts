/** A generated TypeScript module from its GenModel entry (path, header, imports) and its blocks. */
import type { GeneratedFile } from "./generated-file.js";
import type { GenModule } from "./lower/gen-model.js";
import { importLines } from "./lower/print-imports.js";
import { renderModule } from "./templates.js";

/** The file of module `m`: its header, the imports the GenModel decided, then `blocks` separated by blank lines. */
export function moduleFile(m: GenModule, blocks: readonly (readonly string[])[]): GeneratedFile {
  return { path: m.path, content: renderModule({ header: m.header, imports: importLines(m.imports), blocks }) };
}
