/**
 * Messages the runtime keeps beside the events — a workflow run's start and awaited events and
 * its queued commands in `eda_workflow_*` rows — are sealed like the events: inside any JSON
 * value, an object `{ type, data }` whose type has `@pii(subject)` fields (an event's at its
 * current version, or a command's), or a run's awaited event kept by its type (`events: {
 * PaymentCaptured: {…} }` of a run), gets those fields encrypted on the way in and decrypted (or
 * forgotten) on the way out. `sealingSql` applies it to the SQL a
 * transaction runs on those tables.
 */
import type { QueryOptions, SqlExecutor } from "../store/event-store.js";
import type { EncryptPlan } from "../codec/table.js";
import { ENCRYPTED_MARK } from "./field-cipher.js";

/** What sealing needs from the encrypted store: a field's transform for a message of `type`. */
export interface MessageSealer {
  /** The current version's plan of an event type, if it encrypts anything. */
  plan(type: string): EncryptPlan | undefined;
  /** Whether JSON text may hold a message to seal (a cheap test before parsing it). */
  mayNeedSealing(text: string): boolean;
  seal(plan: EncryptPlan, data: Record<string, unknown>): Promise<Record<string, unknown>>;
  open(plan: EncryptPlan, data: Record<string, unknown>): Promise<Record<string, unknown>>;
}

const TOUCHED = /\beda_workflow_/;

/** `sql` with JSON parameters sealed and JSON results opened, for statements on workflow tables. */
export function sealingSql(sql: SqlExecutor, sealer: MessageSealer): SqlExecutor {
  return {
    dialect: sql.dialect,
    query: async <Row>(text: string, params?: readonly unknown[], options?: QueryOptions): Promise<Row[]> => {
      if (!TOUCHED.test(text)) return sql.query<Row>(text, params, options);
      const sealed =
        params === undefined
          ? undefined
          : await Promise.all(params.map((p) => (typeof p === "string" && sealer.mayNeedSealing(p) ? mapJsonText(p, (v) => walk(v, sealer, "seal")) : p)));
      const rows = await sql.query<Row>(text, sealed, options);
      return Promise.all(rows.map(async (row) => (await walk(row, sealer, "open")) as Row));
    },
  };
}

async function mapJsonText(value: unknown, fn: (v: unknown) => Promise<unknown>): Promise<unknown> {
  if (typeof value !== "string" || (value[0] !== "{" && value[0] !== "[")) return value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return value;
  }
  const mapped = await fn(parsed);
  return mapped === parsed ? value : JSON.stringify(mapped);
}

async function walk(value: unknown, sealer: MessageSealer, mode: "seal" | "open"): Promise<unknown> {
  // Only text holding a sealed entry needs parsing (the orchestrator reads its rows often).
  if (typeof value === "string") return mode === "open" && value.includes(`"${ENCRYPTED_MARK}"`) ? mapJsonText(value, (v) => walk(v, sealer, mode)) : value;
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const items = await Promise.all(value.map((v) => walk(v, sealer, mode)));
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  const record = value as Record<string, unknown>;
  const plan = typeof record["type"] === "string" ? sealer.plan(record["type"]) : undefined;
  const data = record["data"];
  if (plan !== undefined && typeof data === "object" && data !== null && !Array.isArray(data)) {
    const done = mode === "seal" ? await sealer.seal(plan, data as Record<string, unknown>) : await sealer.open(plan, data as Record<string, unknown>);
    return done === data ? value : { ...record, data: done };
  }
  let out: Record<string, unknown> | undefined;
  for (const [key, v] of Object.entries(record)) {
    const mapped = key === "events" && isRun(record) ? await byType(v as Record<string, unknown>, sealer, mode) : await walk(v, sealer, mode);
    if (mapped !== v) (out ??= { ...record })[key] = mapped;
  }
  return out ?? value;
}

/**
 * A workflow run as its row keeps it: it holds its awaited events' data by type, `events: {
 * PaymentCaptured: {…} }`. Only there does a property named after a type hold that type's data —
 * a map of the user's, whose keys may be anything, is walked as any other value.
 */
function isRun(record: Record<string, unknown>): boolean {
  return typeof record["workflow"] === "string" && typeof record["correlation"] === "string" && isRecord(record["start"]) && isRecord(record["events"]);
}

async function byType(events: Record<string, unknown>, sealer: MessageSealer, mode: "seal" | "open"): Promise<Record<string, unknown>> {
  let out: Record<string, unknown> | undefined;
  for (const [type, data] of Object.entries(events)) {
    const plan = isRecord(data) ? sealer.plan(type) : undefined;
    const mapped = plan === undefined ? await walk(data, sealer, mode) : mode === "seal" ? await sealer.seal(plan, data as Record<string, unknown>) : await sealer.open(plan, data as Record<string, unknown>);
    if (mapped !== data) (out ??= { ...events })[type] = mapped;
  }
  return out ?? events;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
