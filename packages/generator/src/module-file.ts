/** The head of a generated TypeScript module, from its GenModel entry: its header and printed imports. */
import type { GenModule } from "./lower/gen-model.js";
import { importLines } from "./lower/print-imports.js";
import type { ModuleHead } from "./render/view-data.js";

/** The header and the imports the GenModel decided for module `m`, as its template places them. */
export function moduleHead(m: GenModule): ModuleHead {
  return { header: m.header, imports: importLines(m.imports) };
}

/** A section's lines as the one string a template places. */
export function block(lines: readonly string[]): string {
  return lines.join("\n");
}
