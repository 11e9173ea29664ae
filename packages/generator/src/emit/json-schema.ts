/**
 * `json-schema/<context>/<Message>.v<N>.schema.json`: a JSON Schema (2020-12) for every command
 * and event version, for schema registries. Value types become `$defs`.
 */

import type { Model } from "@eda/language";
import { fileView, type FileView } from "../render/file-view.js";
import { printJson } from "../json.js";
import type { GenModel } from "../lower/gen-model.js";
import { jsonSchemaFile } from "../lower/names.js";
import { eventSchema, schemaJson } from "./json-schema-doc.js";

/** Builds a JSON Schema file per command and event version. */
export function emitJsonSchemas(gen: GenModel, model: Model): FileView[] {
  const files: FileView[] = [];
  for (const [i, c] of model.contexts.entries()) {
    const folder = gen.contexts[i]?.jsonSchemas as string;
    for (const m of c.commands) {
      const json = printJson(schemaJson(`urn:eda:${m.qualifiedName}:v1`, `${m.qualifiedName} v1`, m.fields, m.doc, c.files));
      files.push(fileView("json-schema", jsonSchemaFile(folder, m.name, 1), { json }, c.name));
    }
    for (const e of c.events) {
      for (const v of e.versions) files.push(fileView("json-schema", jsonSchemaFile(folder, e.name, v.version), { json: printJson(eventSchema(c, e, v)) }, c.name));
    }
  }
  return files;
}
