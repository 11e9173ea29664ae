/**
 * The workflow tables on SQLite and PostgreSQL, through the store transaction's SQL executor.
 * `eda_workflow_instances` keeps each run whole as JSON beside the columns queries need (state,
 * step, the next deadline); `eda_workflow_commands` is the instances' outbox; `eda_workflow_strays`
 * records events that moved nothing; `eda_workflow_claims` says which app instance runs an instance's
 * commands and deadlines now. JSON columns are `json` on PostgreSQL (not `jsonb`), so a
 * queued command is dispatched with exactly the bytes it was built with.
 */
import type { CommandOutcome } from "../pipeline/command-types.js";
import type { SqlExecutor } from "../store/event-store.js";
import type { Message } from "./definition.js";
import { nextDeadline, type WorkflowInstance } from "./instance.js";
import type { PlannedCommand, StrayReason } from "./machine.js";
import {
  queued,
  type ClaimFilter,
  type CommandStatus,
  type InstanceClaim,
  type QueuedCommand,
  type StrayEvent,
  type WorkflowTables,
} from "./records.js";

type Dialect = SqlExecutor["dialect"];

function schema(dialect: Dialect): string[] {
  const pg = dialect === "postgres";
  const json = pg ? "json" : "TEXT";
  const serial = pg ? "bigserial PRIMARY KEY" : "INTEGER PRIMARY KEY";
  return [
    `CREATE TABLE IF NOT EXISTS eda_workflow_instances (
      workflow TEXT NOT NULL,
      correlation TEXT NOT NULL,
      state TEXT NOT NULL,
      step TEXT,
      next_deadline BIGINT,
      instance ${json} NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (workflow, correlation)
    )`,
    "CREATE INDEX IF NOT EXISTS eda_workflow_instances_due ON eda_workflow_instances (workflow, next_deadline) WHERE next_deadline IS NOT NULL",
    `CREATE TABLE IF NOT EXISTS eda_workflow_commands (
      id ${serial},
      command_id TEXT NOT NULL UNIQUE,
      workflow TEXT NOT NULL,
      correlation TEXT NOT NULL,
      command ${json} NOT NULL,
      correlation_id TEXT NOT NULL,
      causation_id TEXT NOT NULL,
      status TEXT NOT NULL,
      outcome ${json},
      created_at TEXT NOT NULL,
      dispatched_at TEXT,
      on_behalf_of TEXT
    )`,
    "CREATE INDEX IF NOT EXISTS eda_workflow_commands_unsent ON eda_workflow_commands (workflow, id) WHERE status IN ('pending', 'sending')",
    "CREATE INDEX IF NOT EXISTS eda_workflow_commands_instance ON eda_workflow_commands (workflow, correlation, id)",
    `CREATE TABLE IF NOT EXISTS eda_workflow_claims (
      workflow TEXT NOT NULL,
      correlation TEXT NOT NULL,
      holder TEXT NOT NULL,
      held_until BIGINT NOT NULL,
      PRIMARY KEY (workflow, correlation)
    )`,
    `CREATE TABLE IF NOT EXISTS eda_workflow_strays (
      id ${serial},
      workflow TEXT NOT NULL,
      message_id TEXT NOT NULL,
      type TEXT NOT NULL,
      correlation TEXT,
      reason TEXT NOT NULL,
      detail TEXT,
      time TEXT NOT NULL
    )`,
  ];
}

interface CommandRow {
  command_id: string;
  workflow: string;
  correlation: string;
  command: unknown;
  correlation_id: string;
  causation_id: string;
  status: string;
  outcome: unknown;
  created_at: string;
  dispatched_at: string | null;
  on_behalf_of: string | null;
}

interface StrayRow {
  workflow: string;
  message_id: string;
  type: string;
  correlation: string | null;
  reason: string;
  detail: string | null;
  time: string;
}

const COMMAND_COLUMNS =
  "command_id, workflow, correlation, command, correlation_id, causation_id, status, outcome, created_at, dispatched_at, on_behalf_of";

/** `WorkflowTables` over SQL, in the executor's dialect. */
export class SqlWorkflowTables implements WorkflowTables {
  constructor(private readonly sql: SqlExecutor) {}

  async ensureSchema(): Promise<void> {
    // Two processes creating the tables at once would race on PostgreSQL's catalog.
    if (this.sql.dialect === "postgres") await this.sql.query("SELECT pg_advisory_xact_lock(hashtext('eda_workflow_schema'))");
    for (const statement of schema(this.sql.dialect)) await this.sql.query(statement);
    await this.addOnBehalfOf();
  }

  /** Migrates a commands table made before `on_behalf_of` (its queued commands act for nobody named). */
  private async addOnBehalfOf(): Promise<void> {
    if (this.sql.dialect === "postgres") {
      // Looked up first: ALTER TABLE takes an exclusive lock even when the column is there, and
      // other processes use the table meanwhile (a deadlock with their row locks).
      const found = await this.sql.query(
        "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'eda_workflow_commands' AND column_name = 'on_behalf_of'",
      );
      if (found.length === 0) await this.sql.query("ALTER TABLE eda_workflow_commands ADD COLUMN IF NOT EXISTS on_behalf_of TEXT");
      return;
    }
    // SQLite has no ADD COLUMN IF NOT EXISTS; the transaction (BEGIN IMMEDIATE) keeps another process out meanwhile.
    const columns = await this.sql.query<{ name: string }>("SELECT name FROM pragma_table_info('eda_workflow_commands')");
    if (!columns.some((c) => c.name === "on_behalf_of")) await this.sql.query("ALTER TABLE eda_workflow_commands ADD COLUMN on_behalf_of TEXT");
  }

  async load(workflow: string, correlation: string): Promise<WorkflowInstance | null> {
    const lock = this.sql.dialect === "postgres" ? " FOR UPDATE" : "";
    const rows = await this.query<{ instance: unknown }>(
      `SELECT instance FROM eda_workflow_instances WHERE workflow = ? AND correlation = ?${lock}`,
      [workflow, correlation],
    );
    const row = rows[0];
    return row === undefined ? null : readJson<WorkflowInstance>(row.instance);
  }

  async save(instance: WorkflowInstance): Promise<void> {
    const step = instance.state.kind === "awaiting" || instance.state.kind === "compensating" ? instance.state.step : null;
    await this.query(
      "INSERT INTO eda_workflow_instances (workflow, correlation, state, step, next_deadline, instance, updated_at) " +
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workflow, correlation) DO UPDATE SET state = excluded.state, " +
        "step = excluded.step, next_deadline = excluded.next_deadline, instance = excluded.instance, updated_at = excluded.updated_at",
      [instance.workflow, instance.correlation, instance.state.kind, step, nextDeadline(instance), JSON.stringify(instance), instance.updatedAt],
    );
  }

  async list(workflow: string): Promise<WorkflowInstance[]> {
    const rows = await this.query<{ instance: unknown }>(
      "SELECT instance FROM eda_workflow_instances WHERE workflow = ? ORDER BY correlation",
      [workflow],
    );
    return rows.map((row) => readJson<WorkflowInstance>(row.instance));
  }

  async due(workflow: string, nowMs: number, limit: number): Promise<string[]> {
    const rows = await this.query<{ correlation: string }>(
      "SELECT correlation FROM eda_workflow_instances WHERE workflow = ? AND next_deadline IS NOT NULL AND next_deadline <= ? " +
        "ORDER BY next_deadline, correlation LIMIT ?",
      [workflow, nowMs, limit],
    );
    return rows.map((row) => row.correlation);
  }

  async enqueue(instance: WorkflowInstance, commands: readonly PlannedCommand[], time: string): Promise<void> {
    for (const planned of commands) {
      const c = queued(instance, planned, time);
      await this.query(
        `INSERT INTO eda_workflow_commands (${COMMAND_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (command_id) DO NOTHING`,
        [c.commandId, c.workflow, c.correlation, JSON.stringify(c.command), c.correlationId, c.causationId, c.status, null, c.createdAt, null, c.onBehalfOf],
      );
    }
  }

  async cancel(commandIds: readonly string[]): Promise<void> {
    for (const id of commandIds) {
      await this.query("UPDATE eda_workflow_commands SET status = 'cancelled' WHERE command_id = ? AND status = 'pending'", [id]);
    }
  }

  async pending(workflow: string, limit: number, claims?: ClaimFilter): Promise<QueuedCommand[]> {
    const unsent = `SELECT ${COMMAND_COLUMNS} FROM eda_workflow_commands c WHERE workflow = ? AND status IN ('pending', 'sending')`;
    const rows =
      claims === undefined
        ? await this.query<CommandRow>(`${unsent} ORDER BY id LIMIT ?`, [workflow, limit])
        : await this.query<CommandRow>(
            `${unsent} AND NOT EXISTS (SELECT 1 FROM eda_workflow_claims k WHERE k.workflow = c.workflow AND k.correlation = c.correlation ` +
              "AND k.holder <> ? AND k.held_until > ?) ORDER BY id LIMIT ?",
            [workflow, claims.holder, claims.nowMs, limit],
          );
    return rows.map(commandFromRow);
  }

  async claimInstance(workflow: string, correlation: string, holder: string, nowMs: number, untilMs: number): Promise<boolean> {
    // One statement takes a free or expired claim, or renews one's own, and leaves another's alone.
    await this.query(
      "INSERT INTO eda_workflow_claims (workflow, correlation, holder, held_until) VALUES (?, ?, ?, ?) " +
        "ON CONFLICT (workflow, correlation) DO UPDATE SET holder = excluded.holder, held_until = excluded.held_until " +
        "WHERE eda_workflow_claims.holder = excluded.holder OR eda_workflow_claims.held_until <= ?",
      [workflow, correlation, holder, untilMs, nowMs],
    );
    const rows = await this.query<{ holder: string }>("SELECT holder FROM eda_workflow_claims WHERE workflow = ? AND correlation = ?", [workflow, correlation]);
    return rows[0]?.holder === holder;
  }

  async releaseClaims(workflow: string, holder: string, correlation?: string): Promise<void> {
    if (correlation === undefined) await this.query("DELETE FROM eda_workflow_claims WHERE workflow = ? AND holder = ?", [workflow, holder]);
    else await this.query("DELETE FROM eda_workflow_claims WHERE workflow = ? AND correlation = ? AND holder = ?", [workflow, correlation, holder]);
  }

  async claims(workflow: string): Promise<InstanceClaim[]> {
    const rows = await this.query<{ correlation: string; holder: string; held_until: string | number }>(
      "SELECT correlation, holder, held_until FROM eda_workflow_claims WHERE workflow = ? ORDER BY correlation",
      [workflow],
    );
    return rows.map((r) => ({ correlation: r.correlation, holder: r.holder, heldUntil: Number(r.held_until) }));
  }

  async claim(commandId: string): Promise<boolean> {
    const lock = this.sql.dialect === "postgres" ? " FOR UPDATE" : "";
    const rows = await this.query<{ status: string }>(`SELECT status FROM eda_workflow_commands WHERE command_id = ?${lock}`, [commandId]);
    const status = rows[0]?.status;
    if (status !== "pending" && status !== "sending") return false;
    await this.query("UPDATE eda_workflow_commands SET status = 'sending' WHERE command_id = ?", [commandId]);
    return true;
  }

  async command(commandId: string): Promise<QueuedCommand | null> {
    const rows = await this.query<CommandRow>(`SELECT ${COMMAND_COLUMNS} FROM eda_workflow_commands WHERE command_id = ?`, [commandId]);
    const row = rows[0];
    return row === undefined ? null : commandFromRow(row);
  }

  async markDispatched(commandId: string, outcome: CommandOutcome, time: string): Promise<void> {
    await this.query("UPDATE eda_workflow_commands SET status = 'dispatched', outcome = ?, dispatched_at = ? WHERE command_id = ?", [
      JSON.stringify(outcome),
      time,
      commandId,
    ]);
  }

  async commands(workflow: string, correlation?: string): Promise<QueuedCommand[]> {
    const rows =
      correlation === undefined
        ? await this.query<CommandRow>(`SELECT ${COMMAND_COLUMNS} FROM eda_workflow_commands WHERE workflow = ? ORDER BY id`, [workflow])
        : await this.query<CommandRow>(
            `SELECT ${COMMAND_COLUMNS} FROM eda_workflow_commands WHERE workflow = ? AND correlation = ? ORDER BY id`,
            [workflow, correlation],
          );
    return rows.map(commandFromRow);
  }

  async addStray(s: StrayEvent): Promise<void> {
    await this.query(
      "INSERT INTO eda_workflow_strays (workflow, message_id, type, correlation, reason, detail, time) VALUES (?, ?, ?, ?, ?, ?, ?)",
      [s.workflow, s.messageId, s.type, s.correlation, s.reason, s.detail, s.time],
    );
  }

  async strays(workflow: string): Promise<StrayEvent[]> {
    const rows = await this.query<StrayRow>(
      "SELECT workflow, message_id, type, correlation, reason, detail, time FROM eda_workflow_strays WHERE workflow = ? ORDER BY id",
      [workflow],
    );
    return rows.map((r) => ({
      workflow: r.workflow,
      messageId: r.message_id,
      type: r.type,
      correlation: r.correlation,
      reason: r.reason as StrayReason,
      detail: r.detail,
      time: r.time,
    }));
  }

  /** Runs `sql` written with `?` placeholders, numbered `$n` for PostgreSQL. */
  private query<Row>(sql: string, params: readonly unknown[]): Promise<Row[]> {
    if (this.sql.dialect === "sqlite") return this.sql.query<Row>(sql, params);
    let n = 0;
    return this.sql.query<Row>(sql.replace(/\?/g, () => `$${++n}`), params);
  }
}

function commandFromRow(row: CommandRow): QueuedCommand {
  return {
    commandId: row.command_id,
    workflow: row.workflow,
    correlation: row.correlation,
    command: readJson<Message>(row.command),
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    status: row.status as CommandStatus,
    outcome: row.outcome === null ? null : readJson<CommandOutcome>(row.outcome),
    createdAt: row.created_at,
    dispatchedAt: row.dispatched_at,
    onBehalfOf: row.on_behalf_of,
  };
}

/** SQLite returns JSON columns as text, PostgreSQL already parsed. */
function readJson<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}
