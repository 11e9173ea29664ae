/**
 * `json-schema/<context>/<Message>.v<N>.schema.json`: a JSON Schema (2020-12) for every command
 * and event version, for schema registries. Value types become `$defs`.
 */

import type { Model } from "@eda/language";
import { fileView, type FileView } from "../render/file-view.js";
import { keyPrefix, printJson, writeEntries, writeJson } from "../json.js";
import type { GenModel } from "../lower/gen-model.js";
import { jsonSchemaFile } from "../lower/names.js";
import { jsonSchemas, schemaJson, type Def, type SchemaDoc } from "./json-schema-doc.js";

/** Builds a JSON Schema file per command and event version. */
export function emitJsonSchemas(gen: GenModel, model: Model): FileView[] {
  const files: FileView[] = [];
  const schemas = jsonSchemas(model);
  for (const [i, c] of model.contexts.entries()) {
    const folder = gen.contexts[i]?.jsonSchemas as string;
    for (const m of c.commands) {
      files.push(fileView("json-schema", jsonSchemaFile(folder, m.name, 1), { json: schemaText(schemas.command(c, m)) }, c.name));
    }
    for (const e of c.events) {
      for (const v of e.versions) files.push(fileView("json-schema", jsonSchemaFile(folder, e.name, v.version), { json: schemaText(schemas.event(c, e, v)) }, c.name));
    }
  }
  return files;
}

/**
 * The document as `printJson` prints it. A `$defs` entry is written once per model and placed
 * in every document that reaches it: its lines depend on its depth alone, the same everywhere.
 */
function schemaText(doc: SchemaDoc): string {
  const defs = doc.defs.map(defText);
  const out = ["{"];
  if (defs.includes(null) || !writeEntries(out, doc.head, 1, defs.length > 0)) return printJson(schemaJson(doc));
  if (defs.length > 0) out.push(`  "$defs": {`, defs.join(",\n"), "  }");
  out.push("}\n");
  return out.join("\n");
}

/** The lines of `"Name": { … }` two levels deep (in `$defs`), or null when `printJson` must lay it out. */
function defText(def: Def): string | null {
  if (def.cache.text === undefined) {
    const out: string[] = [];
    def.cache.text = writeJson(out, def.json, 2, keyPrefix(def.name), "") ? out.join("\n") : null;
  }
  return def.cache.text;
}
