/**
 * The model codec: the one place that reads stored events (validate the stored version, upcast
 * version by version, validate the current version), validates commands and new events before
 * they are handled or stored, and redacts messages for logs. Generated code supplies the table
 * (schemas, upcasts, personal data); production and the generated test helpers both validate
 * through the functions here.
 */
import { DeserializeError, type StoredLocation } from "./deserialize-error.js";
import { jsonBound } from "./json-bound.js";
import { findNul, findProtoKey, formatBytes, fromSchemaIssues, protoKeyIssue, type SchemaLike, type ValidationIssue } from "./issues.js";
import { mayKeepAnyKey } from "./keeps-keys.js";
import { maskedMessage, personalValues } from "./personal-values.js";
import { redactWith } from "./redact.js";
import { storedInfo, type StoredEventInfo } from "./stored-info.js";
import type { CodecTable, EventVersion, RedactPlan } from "./table.js";
import { isUnparsableJson } from "./unparsable.js";

/** A command or event as generated code shapes it: its name and its data. */
export interface Message<T extends string = string, D = unknown> {
  readonly type: T;
  readonly data: D;
}

/**
 * A stored event as the codec reads it: a store's `StoredEvent` fits. The location, when given,
 * goes into errors; every fact given reaches the `compute` hooks (`StoredEventInfo`), and a hook
 * that reads one not given fails (`upcast-failed`) rather than read a made-up value.
 */
export interface StoredEventData {
  readonly type: string;
  readonly version: number;
  readonly payload: unknown;
  readonly stream?: string;
  readonly position?: number;
  readonly globalPosition?: number;
  readonly time?: string;
  readonly messageId?: string;
  readonly correlationId?: string;
  readonly causationId?: string | null;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** A validated message (its data as the schema parsed it: defaults applied, unknown keys dropped), or why not. */
export type Validation<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/** Size bounds of a validation. */
export interface SizeLimit {
  /** The largest `data`, in bytes of UTF-8 JSON. */
  readonly maxBytes?: number;
}

/** The default bound of a command's data: well under every engine's and broker's message limit. */
export const DEFAULT_MAX_COMMAND_BYTES = 512 * 1024;
/** The default bound of an event's data (NATS's default message limit is 1 MB, RabbitMQ's 16 MiB). */
export const DEFAULT_MAX_EVENT_BYTES = 512 * 1024;

/** The codec of a model: what the runtime's pipeline, runners and logs use. */
export interface ModelCodec<E extends Message = Message, C extends Message = Message> {
  readonly table: SchemaTable;
  /**
   * Reads a stored event of any known version as its current version; the upcasts' hooks get
   * its stored facts (time, stream, positions, ids, metadata). Throws `DeserializeError`.
   */
  deserialize(stored: StoredEventData): E;
  /** The current version of an event type. Throws `DeserializeError` for an unknown type. */
  currentVersion(type: string): number;
  /** The stored form of a current event: its data at the current version. */
  encode(event: E): { readonly type: string; readonly version: number; readonly payload: unknown };
  /** A copy of a stored payload with its `@pii` fields replaced; undefined for an unknown type or version. */
  redact(type: string, version: number, payload: unknown): unknown;
  /** A copy of a command's data with its `@pii` fields replaced; undefined for an unknown type. */
  redactCommand(type: string, data: unknown): unknown;
  /** Parses a command by its schema, within its size bound and free of U+0000. */
  validateCommand(command: unknown, limit?: SizeLimit): Validation<C>;
  /** Parses a new event by its current version's schema, within its size bound and free of U+0000. */
  validateEvent(event: unknown, limit?: SizeLimit): Validation<E>;
}

/** Builds the codec of a table; `hooks` supplies the upcasts' `compute` fields. */
export function createCodec<E extends Message = Message, C extends Message = Message, H = unknown>(
  table: CodecTable<H>,
  hooks: H,
): ModelCodec<E, C> {
  const types = table.types ?? {};
  return {
    table,
    deserialize: (stored) => deserialize(table, hooks, stored) as E,
    currentVersion: (type) => {
      const entry = own(table.events, type);
      if (entry === undefined) throw new DeserializeError("unknown-type", type, 0);
      return entry.current;
    },
    encode(event) {
      return { type: event.type, version: this.currentVersion(event.type), payload: event.data };
    },
    redact: (type, version, payload) => {
      const step = own(own(table.events, type)?.versions ?? {}, version);
      return step === undefined ? undefined : step.redact === undefined ? payload : redactWith(step.redact, payload, types);
    },
    redactCommand: (type, data) => {
      const entry = own(table.commands, type);
      return entry === undefined ? undefined : entry.redact === undefined ? data : redactWith(entry.redact, data, types);
    },
    validateCommand: (command, limit) => validateCommand(table, command, limit) as Validation<C>,
    validateEvent: (event, limit) => validateEvent(table, event, limit) as Validation<E>,
  };
}

/** The part of a table validation reads: schemas only (any table's hooks type fits). */
export interface SchemaTable {
  readonly events: Readonly<Record<string, { readonly current: number; readonly versions: Readonly<Record<number, { readonly schema: SchemaLike }>> }>>;
  readonly commands: Readonly<Record<string, { readonly schema: SchemaLike }>>;
}

/** Validates a command against the table (the generated test helpers call this too). */
export function validateCommand(table: SchemaTable, command: unknown, limit: SizeLimit = {}): Validation<Message> {
  const type = typeOf(command);
  const entry = type === undefined ? undefined : own(table.commands, type);
  if (type === undefined || entry === undefined) return unknownType("command", type);
  return validateData(entry.schema, type, (command as Message).data, "command", limit.maxBytes ?? DEFAULT_MAX_COMMAND_BYTES);
}

/** Validates a new event against its current version in the table (the test helpers call this too). */
export function validateEvent(table: SchemaTable, event: unknown, limit: SizeLimit = {}): Validation<Message> {
  const type = typeOf(event);
  const entry = type === undefined ? undefined : own(table.events, type);
  const current = entry === undefined ? undefined : own(entry.versions, entry.current);
  if (type === undefined || current === undefined) return unknownType("event", type);
  return validateData(current.schema, type, (event as Message).data, "event", limit.maxBytes ?? DEFAULT_MAX_EVENT_BYTES);
}

/** Data nested deeper than a recursive walk (Zod's parse, the `__proto__` search) can follow. */
const TOO_DEEP: ValidationIssue = { path: [], code: "too-deep", message: "the data is nested too deeply to validate" };

function validateData(schema: SchemaLike, type: string, data: unknown, kind: "command" | "event", maxBytes: number): Validation<Message> {
  const parsed = parseWithin(schema, data);
  if (parsed === undefined) return { ok: false, issues: [TOO_DEEP] };
  if (!parsed.success) return { ok: false, issues: fromSchemaIssues(parsed.error.issues) };
  const proto = findProtoKey(data);
  if (proto !== undefined) return { ok: false, issues: [protoKeyIssue(proto)] };
  // Plain data well within the bound and free of U+0000 needs no JSON written to know it.
  const bound = jsonBound(parsed.data);
  if (bound >= 0 && bound <= maxBytes) return { ok: true, value: { type, data: parsed.data } };
  let json: string | undefined;
  try {
    json = JSON.stringify(parsed.data);
  } catch (error) {
    return refuse("not-json", `the ${kind}'s data cannot be written as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (json === undefined) return refuse("not-json", `the ${kind}'s data cannot be written as JSON`);
  // A UTF-8 byte is at most three per UTF-16 unit: count bytes only when it could matter.
  const bytes = json.length * 3 > maxBytes ? Buffer.byteLength(json) : json.length;
  if (bytes > maxBytes) {
    const limitName = kind === "command" ? "maxCommandBytes" : "maxEventBytes";
    return refuse("too-large", `the ${kind} ${type} is ${formatBytes(bytes)} as JSON, above the limit of ${formatBytes(maxBytes)} (${limitName})`);
  }
  // JSON.stringify writes U+0000 as \u0000; look for where only when it may be there.
  const nul = json.includes("\\u0000") ? findNul(parsed.data) : undefined;
  if (nul !== undefined) {
    return { ok: false, issues: [{ path: nul, code: "nul-character", message: "text may not contain the character U+0000 (NUL): no store keeps it the same way" }] };
  }
  return { ok: true, value: { type, data: parsed.data } };
}

/**
 * The schema's parse, or undefined when it ran out of stack: Zod recurses once per level, and a
 * `json` value nested some thousands deep (a few kilobytes of `[[[…]]]`) is valid JSON.
 */
function parseWithin(schema: SchemaLike, data: unknown): ReturnType<SchemaLike["safeParse"]> | undefined {
  try {
    return schema.safeParse(data);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

function deserialize<H>(table: CodecTable<H>, hooks: H, stored: StoredEventData): Message {
  const at = locationOf(stored);
  const entry = own(table.events, stored.type);
  if (entry === undefined) throw new DeserializeError("unknown-type", stored.type, stored.version, [], at);
  let version = stored.version;
  let step = own(entry.versions, version);
  if (step === undefined) throw new DeserializeError("unknown-version", stored.type, version, [], at);
  if (isUnparsableJson(stored.payload)) {
    const issues = [{ path: [stored.payload.column], code: "invalid-json", message: stored.payload.message }];
    throw new DeserializeError("invalid-json", stored.type, version, issues, at);
  }
  const data = readPayload(step.schema, stored, at);
  if (version === entry.current) return { type: stored.type, data };
  // Built once, for an event that is upcast: every step of the chain sees the same facts.
  const info = storedInfo(stored);
  let upcast = data;
  while (version !== entry.current) {
    upcast = upcastStep(step, upcast, hooks, info, stored, at, table.types ?? {});
    version = step.next as number;
    step = own(entry.versions, version) as EventVersion<H> | undefined;
    if (step === undefined) throw new DeserializeError("unknown-version", stored.type, version, [], at);
  }
  return { type: stored.type, data: check(step.schema, upcast, "invalid-upcast", stored, at) };
}

/** The stored payload parsed by its version's schema; a payload too deep for the walks is unreadable, not a crash. */
function readPayload(schema: SchemaLike, stored: StoredEventData, at: StoredLocation | undefined): unknown {
  try {
    const proto = mayKeepAnyKey(schema) ? findProtoKey(stored.payload) : undefined;
    if (proto !== undefined) throw new DeserializeError("invalid-payload", stored.type, stored.version, [protoKeyIssue(proto)], at);
    return check(schema, stored.payload, "invalid-payload", stored, at);
  } catch (error) {
    if (error instanceof RangeError) throw new DeserializeError("invalid-payload", stored.type, stored.version, [TOO_DEEP], at, { cause: error });
    throw error;
  }
}

function upcastStep<H>(
  step: EventVersion<H>,
  data: unknown,
  hooks: H,
  info: StoredEventInfo,
  stored: StoredEventData,
  at: StoredLocation | undefined,
  types: Readonly<Record<string, RedactPlan>>,
): unknown {
  if (step.up === undefined || step.next === undefined) {
    throw new DeserializeError("unknown-version", stored.type, stored.version, [{ path: [], code: "no-upcast", message: "no upcast leads to the current version" }], at);
  }
  try {
    return step.up(data as never, hooks, info);
  } catch (error) {
    throw new DeserializeError("upcast-failed", stored.type, stored.version, [], at, { cause: error, causeMessage: hookMessage(error, step, data, types) });
  }
}

/**
 * A failed hook's message, with the personal values of the data it was given masked. That data
 * may be an earlier hook's output, not yet validated: if finding its values fails (a getter that
 * throws), the message is left out rather than shown unmasked, and the error stays the `cause`.
 */
function hookMessage<H>(error: unknown, step: EventVersion<H>, data: unknown, types: Readonly<Record<string, RedactPlan>>): string {
  if (step.redact === undefined) return maskedMessage(error, []);
  try {
    return maskedMessage(error, personalValues(data, redactWith(step.redact, data, types)));
  } catch {
    return "(its message is left out: the personal data it may quote could not be found to mask)";
  }
}

function check(schema: SchemaLike, value: unknown, reason: "invalid-payload" | "invalid-upcast", stored: StoredEventData, at: StoredLocation | undefined): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new DeserializeError(reason, stored.type, stored.version, fromSchemaIssues(result.error.issues), at);
}

function locationOf(stored: StoredEventData): StoredLocation | undefined {
  const { stream, position, globalPosition } = stored;
  return stream === undefined || position === undefined || globalPosition === undefined ? undefined : { stream, position, globalPosition };
}

function typeOf(message: unknown): string | undefined {
  const type = typeof message === "object" && message !== null ? (message as { type?: unknown }).type : undefined;
  return typeof type === "string" ? type : undefined;
}

function unknownType(kind: "command" | "event", type: string | undefined): Validation<Message> {
  const what = type === undefined ? `a ${kind} needs a string "type"` : `the model has no ${kind} ${JSON.stringify(type)}`;
  return refuse("unknown-type", what);
}

function refuse(code: string, message: string, path: readonly (string | number)[] = []): Validation<Message> {
  return { ok: false, issues: [{ path, code, message }] };
}

/** An own property only: a type named `constructor` or `__proto__` must not find Object's. */
function own<T>(record: Readonly<Record<string | number, T>>, key: string | number): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}


