/**
 * The data a generated model hands the codec: per event type and version its schema, its upcast
 * to the next version and where its personal data sits; per command its schema and personal
 * data; and the personal data of the value types messages nest. The behaviour (the upcast
 * chain, validation, redaction, errors) lives in `createCodec`, tested once.
 */
import type { SchemaLike } from "./issues.js";
import type { StoredEventInfo } from "./stored-info.js";

/** How a field holds a nested value type: one value, a list of them, or a map to them. */
export type RedactShape = "one" | "list" | "map";

/**
 * Where a message (or a value type) keeps personal data: its own `@pii` fields, and the fields
 * that hold value types with personal data inside (`[field, type key, shape]`).
 */
export interface RedactPlan {
  readonly pii?: readonly string[];
  readonly nested?: readonly (readonly [field: string, type: string, shape: RedactShape])[];
}

/**
 * Crypto-shredding of an event version (`@pii(subject)` in the model): the `@pii` fields
 * encrypted under the key of the data subject that `subject` names, and what each reads as once
 * that key is forgotten — the `FORGOTTEN` placeholder (a required string) or absent (optional).
 */
export interface EncryptPlan {
  readonly subject: string;
  readonly fields: Readonly<Record<string, "placeholder" | "absent">>;
}

/** One stored version of an event type. */
export interface EventVersion<H> {
  readonly schema: SchemaLike;
  /**
   * Turns valid data of this version into data of version `next`: the hooks supply `compute`
   * fields, and get `stored`, the facts of the stored event being read (the same at every step).
   */
  readonly up?: (data: never, hooks: H, stored: StoredEventInfo) => unknown;
  readonly next?: number;
  /** Personal data at this version (field names change between versions). */
  readonly redact?: RedactPlan;
  /** Fields encrypted per data subject at this version. */
  readonly encrypt?: EncryptPlan;
}

/** An event type: its current version and every version still found in stores. */
export interface EventEntry<H> {
  readonly current: number;
  readonly versions: Readonly<Record<number, EventVersion<H>>>;
}

/** A command type: its schema and personal data. */
export interface CommandEntry {
  readonly schema: SchemaLike;
  readonly redact?: RedactPlan;
  /** Fields encrypted per data subject where the command is stored (a workflow's queued commands). */
  readonly encrypt?: EncryptPlan;
}

/** Everything a model's codec knows, as data. `H` is the model's upcast hooks. */
export interface CodecTable<H = unknown> {
  readonly events: Readonly<Record<string, EventEntry<H>>>;
  readonly commands: Readonly<Record<string, CommandEntry>>;
  /** Personal data of the value types messages nest, by qualified name. */
  readonly types?: Readonly<Record<string, RedactPlan>>;
}

/** Checks a table's shape at compile time and returns it (generated code calls this). */
export function defineCodecTable<H>(table: CodecTable<H>): CodecTable<H> {
  return table;
}
