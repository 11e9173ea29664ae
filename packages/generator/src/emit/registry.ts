/**
 * `json-schema/registry.json`: every event type and version with a SHA-256 of its JSON Schema's
 * shape, so a review sees at a glance which stored shapes a change touches, and `eda check
 * --against` can compare with a deployed service's manifest when there is no git history.
 * The hash leaves out what does not change the shape (`$comment`, `description`, `deprecated`,
 * the order of fields), so editing docs or renaming a model file changes no hash.
 */
import { createHash } from "node:crypto";
import { contextFolder, REGISTRY_FORMAT, type ContextModel, type Model } from "@eda/language";
import { fileView, type FileView } from "../render/file-view.js";
import { keyPrefix, printJson, writeEntries, writeObjectArray } from "../json.js";
import type { GenModel } from "../lower/gen-model.js";
import { jsonSchemaFile } from "../lower/names.js";
import { headerText } from "../names.js";
import { jsonSchemas, type Def, type JsonSchemas, type SchemaDoc } from "./json-schema-doc.js";

/** One stored shape: an event version and the hash of its schema. */
export interface RegistryEntry {
  /** The event's name as a store holds it (bare: event names are unique in a model). */
  readonly type: string;
  readonly context: string;
  readonly version: number;
  /** The schema file, relative to the manifest. */
  readonly schema: string;
  readonly sha256: string;
}

/** Every event version of the model, in context, event and version order. */
export function registryEntries(model: Model): RegistryEntry[] {
  const schemas = jsonSchemas(model);
  return model.contexts.flatMap((c) => contextEntries(schemas, c));
}

/** Every event version of context `c`, in event and version order. */
function contextEntries(schemas: JsonSchemas, c: ContextModel): RegistryEntry[] {
  const entries: RegistryEntry[] = [];
  const folder = contextFolder(c.name);
  for (const e of c.events) {
    for (const v of e.versions) {
      entries.push({
        type: e.name,
        context: c.name,
        version: v.version,
        schema: jsonSchemaFile(folder, e.name, v.version),
        sha256: createHash("sha256").update(documentShape(schemas.event(c, e, v))).digest("hex"),
      });
    }
  }
  return entries;
}

export function emitRegistry(gen: GenModel, model: Model): FileView[] {
  return [fileView("registry", gen.files.registry, { json: registryManifest(model) })];
}

/**
 * The manifest's text (the format is read by `readRegistry` of @eda/language). Its events are
 * written context by context (`writeObjectArray`): the model's entries are never all alive at once.
 */
export function registryManifest(model: Model): string {
  const head = {
    $comment: headerText(model.files),
    description: "Every event version a store may hold, with the SHA-256 of its JSON Schema's shape (docs and field order left out).",
    format: REGISTRY_FORMAT,
  };
  const schemas = jsonSchemas(model);
  const out = ["{"];
  if (!writeEntries(out, head, 1, true) || !writeObjectArray(out, 1, keyPrefix("events"), model.contexts, (c) => contextEntries(schemas, c), "")) {
    return printJson({ ...head, events: registryEntries(model) });
  }
  out.push("}");
  return `${out.join("\n")}\n`;
}

/** Keywords that document a schema without changing what it accepts. */
const DOCS = new Set(["$comment", "description", "deprecated"]);

/**
 * The text of `JSON.stringify` of a schema without what only documents it, keys sorted and
 * `required` in name order: what the hash covers. Keys of `properties` and `$defs` are names
 * (a field may be called `description`). Each `$defs` entry's shape is made once per model.
 */
function documentShape(doc: SchemaDoc): string {
  const keys = Object.keys(doc.head);
  if (doc.defs.length > 0) keys.push("$defs");
  const parts: string[] = [];
  for (const key of keys.sort()) {
    if (DOCS.has(key)) continue;
    const value = key === "$defs" ? `{${doc.defs.map((d) => `${JSON.stringify(d.name)}:${defShape(d)}`).join(",")}}` : entryShape(key, doc.head[key]);
    if (value !== undefined) parts.push(quoted(key) + value);
  }
  return `{${parts.join(",")}}`;
}

/** `"key":`, made once per key: schemas repeat the same few keys. */
const QUOTED = new Map<string, string>();
function quoted(key: string): string {
  let text = QUOTED.get(key);
  if (text === undefined) {
    // Bounded: field names come from models, and a watch process generates many.
    if (QUOTED.size > 4096) QUOTED.clear();
    QUOTED.set(key, (text = `${JSON.stringify(key)}:`));
  }
  return text;
}

function defShape(def: Def): string {
  return (def.cache.shape ??= shape(def.json) as string);
}

/** The shape of the value of `key` in a schema (not in a map of names). */
function entryShape(key: string, value: unknown): string | undefined {
  if (key === "required" && Array.isArray(value)) return JSON.stringify([...(value as string[])].sort());
  return shape(value, key === "properties" || key === "$defs");
}

/** The shape's text of a value (undefined for what `JSON.stringify` leaves out of an object). */
function shape(value: unknown, names = false): string | undefined {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => shape(item) ?? "null").join(",")}]`;
  const keys = Object.keys(value);
  if (keys.length > 1) keys.sort();
  let text = "";
  for (const key of keys) {
    if (!names && DOCS.has(key)) continue;
    const inner = (value as Record<string, unknown>)[key];
    const entry = names ? shape(inner) : entryShape(key, inner);
    if (entry !== undefined) text += text === "" ? quoted(key) + entry : `,${quoted(key)}${entry}`;
  }
  return `{${text}}`;
}
