/**
 * The access audit: who read which stream or consumed which message type, when, in which
 * conversation. Records name streams, types and ids only — never a payload, so never a `@pii`
 * value. Written to a sink (JSON lines by default, pluggable), switched on for the whole app or
 * for some contexts (SECURITY.md).
 */
import { CALLER_KEY, ON_BEHALF_OF_KEY } from "../pipeline/context.js";
import type { Metadata } from "../types.js";

/** What was accessed: a stream loaded by the command path, a message consumed, a projection read. */
export type AuditAction = "read-stream" | "consume" | "read-projection";

/** One audit record. */
export interface AuditRecord {
  /** ISO-8601 UTC time of the access. */
  readonly time: string;
  readonly action: AuditAction;
  /**
   * Who: the caller of `send` (carried in the metadata), `workflow:<name>` for a workflow's
   * commands and their events, or null when it was not said.
   */
  readonly principal: string | null;
  /** For a workflow's choreographed commands and their events: the principal whose event triggered them (absent otherwise). */
  readonly onBehalfOf?: string;
  /** Through what the access happened: `send`, `choreography:<name>`, `projection:<name>`. */
  readonly via: string;
  readonly stream: string | null;
  readonly messageType: string | null;
  readonly correlationId: string | null;
}

/** Where audit records go. */
export interface AuditSink {
  record(record: AuditRecord): void;
}

/**
 * `audit: true` (every context, JSON lines on stdout) or which contexts and where; `false` keeps
 * it off whatever `EDA_AUDIT` says (undefined leaves the choice to `EDA_AUDIT`).
 */
export type AuditOptions =
  | boolean
  | {
      /** Default: JSON lines on stdout. */
      readonly sink?: AuditSink;
      /** Only accesses to these contexts' messages and projections (default: every context). */
      readonly contexts?: readonly string[];
      /** The context of a message type or projection name (default: the generated model's); needed with `contexts`. */
      readonly contextOf?: (name: string) => string | undefined;
    };

/** One JSON object per line, through `write` (default: stdout). */
export function jsonLinesAuditSink(write: (line: string) => void = (line) => process.stdout.write(line)): AuditSink {
  return { record: (record) => write(`${JSON.stringify(record)}\n`) };
}

/** The caller carried in a message's metadata, or null. */
export function principalOf(metadata: Metadata | undefined): string | null {
  const caller = metadata?.[CALLER_KEY];
  return typeof caller === "string" ? caller : null;
}

/** `{ onBehalfOf }` when the metadata carries one, else nothing (records keep their shape). */
function onBehalfOfIn(metadata: Metadata | undefined): { onBehalfOf?: string } {
  const origin = metadata?.[ON_BEHALF_OF_KEY];
  return typeof origin === "string" ? { onBehalfOf: origin } : {};
}

/** Writes a record unless auditing is off or the access is outside the audited contexts. */
export type Auditor = (record: Omit<AuditRecord, "time">, subject: string) => void;

/** The app's auditor, or undefined when auditing is off; `modelContexts`: message type or projection → context. */
export function createAuditor(options: AuditOptions | undefined, now: () => Date = () => new Date(), modelContexts?: Readonly<Record<string, string>>): Auditor | undefined {
  if (options === undefined || options === false) return undefined;
  const byModel = modelContexts && ((name: string) => (Object.hasOwn(modelContexts, name) ? modelContexts[name] : undefined));
  const { sink = jsonLinesAuditSink(), contexts, contextOf = byModel } = options === true ? {} : options;
  if (contexts !== undefined && contextOf === undefined) throw new Error("audit.contexts needs audit.contextOf (the context of a message type or projection)");
  if (contexts !== undefined && options !== true && options.contextOf === undefined && modelContexts !== undefined) checkContexts(contexts, modelContexts);
  const audited = contexts === undefined ? undefined : new Set(contexts);
  return (record, subject) => {
    if (audited !== undefined) {
      const context = contextOf?.(subject);
      if (context === undefined || !audited.has(context)) return;
    }
    sink.record({ time: now().toISOString(), ...record });
  };
}

/** Refuses a context the model does not have (a typo would audit nothing, silently). */
function checkContexts(contexts: readonly string[], modelContexts: Readonly<Record<string, string>>): void {
  const known = new Set(Object.values(modelContexts));
  const unknown = contexts.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    throw new Error(`the audit names ${unknown.map((c) => JSON.stringify(c)).join(", ")}, which the model has no context of (its contexts: ${[...known].sort().join(", ")})`);
  }
}

/**
 * The operator's switch, for an app whose code leaves `audit` unset: `EDA_AUDIT=all` audits every
 * context, `EDA_AUDIT=Payments,Ordering` those contexts, unset, empty or `off` nothing. Records
 * go to stdout as JSON lines (a sink of one's own is code: the `audit` option).
 */
export function auditFromEnv(env: NodeJS.ProcessEnv = process.env): AuditOptions | undefined {
  const text = env["EDA_AUDIT"]?.trim() ?? "";
  if (text === "" || text === "off") return undefined;
  if (text === "all") return true;
  const contexts = text.split(",").map((c) => c.trim());
  if (contexts.some((c) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(c))) throw new Error(`EDA_AUDIT must be "all", "off" or context names separated by commas, not ${JSON.stringify(text)}`);
  return { contexts };
}

/** A stored message as far as the audit reads it (metadata and correlation when the reader has them). */
interface Consumed {
  readonly type: string;
  readonly stream?: string;
  readonly correlationId?: string;
  readonly metadata?: Metadata;
}

/** Records the consumption of `message` through `via`. */
export function auditConsumption(audit: Auditor, via: string, message: Consumed): void {
  const record = {
    action: "consume",
    principal: principalOf(message.metadata),
    ...onBehalfOfIn(message.metadata),
    via,
    stream: message.stream ?? null,
    messageType: message.type,
    correlationId: message.correlationId ?? null,
  } as const;
  audit(record, message.type);
}

/** A codec whose `deserialize` records each event a reader consumes (the rest delegates). */
export function auditedCodec<C extends { deserialize(stored: never): unknown }>(codec: C, audit: Auditor | undefined, via: string): C {
  if (audit === undefined) return codec;
  const deserialize = (stored: Consumed): unknown => {
    auditConsumption(audit, via, stored);
    return (codec.deserialize as (s: Consumed) => unknown)(stored);
  };
  return new Proxy(codec, { get: (target, key) => (key === "deserialize" ? deserialize : (Reflect.get(target, key) as unknown)) });
}

/** Records the command path's load of `stream` to decide a command. */
export function auditStreamLoad(audit: Auditor, command: { readonly messageId: string; readonly correlationId?: string; readonly metadata?: Metadata; readonly payload: { readonly type: string } }, stream: string): void {
  const type = command.payload.type;
  const principal = principalOf(command.metadata);
  const correlationId = command.correlationId ?? command.messageId;
  audit({ action: "read-stream", principal, ...onBehalfOfIn(command.metadata), via: "send", stream, messageType: type, correlationId }, type);
}

/** Records a read of projection `name` through the app. */
export function auditProjectionRead(audit: Auditor, name: string, reader: { readonly caller?: string; readonly correlationId?: string }): void {
  audit({ action: "read-projection", principal: reader.caller ?? null, via: `projection:${name}`, stream: null, messageType: null, correlationId: reader.correlationId ?? null }, name);
}
