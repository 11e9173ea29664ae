/**
 * Where orchestrated runs live: instances, their command outbox and the strays, in the store's
 * own database, written through a `StoreTransaction` so that a transition commits with the
 * checkpoint or processed-message record of what caused it. SQLite and PostgreSQL get real
 * tables (sql-tables.ts); the in-memory store keeps the same records in its row tables.
 */
import type { CommandOutcome } from "../pipeline/command-types.js";
import type { StoreTransaction } from "../store/event-store.js";
import { nextDeadline, type WorkflowInstance } from "./instance.js";
import type { PlannedCommand } from "./machine.js";
import { queued, type ClaimFilter, type InstanceClaim, type QueuedCommand, type StrayEvent, type WorkflowTables } from "./records.js";
import { SqlWorkflowTables } from "./sql-tables.js";

/** The tables for a transaction of any store: SQL tables where the store has SQL, row tables otherwise. */
export function workflowTables(tx: StoreTransaction): WorkflowTables {
  return tx.sql === undefined ? new RowWorkflowTables(tx) : new SqlWorkflowTables(tx.sql);
}

const INSTANCES = "eda_workflow_instances";
const COMMANDS = "eda_workflow_commands";
const STRAYS = "eda_workflow_strays";
const COUNTERS = "eda_workflow_counters";
const CLAIMS = "eda_workflow_claims";

type Sequenced<T> = T & { readonly seq: number };

/** The in-memory store's version: the same records as JSON rows, scanned (fine at test sizes). */
class RowWorkflowTables implements WorkflowTables {
  constructor(private readonly tx: StoreTransaction) {}

  async ensureSchema(): Promise<void> {}

  async load(workflow: string, correlation: string): Promise<WorkflowInstance | null> {
    const key = instanceKey(workflow, correlation);
    return ((await this.tx.getRows(INSTANCES, [key])).get(key) as WorkflowInstance | undefined) ?? null;
  }

  async save(instance: WorkflowInstance): Promise<void> {
    await this.tx.putRow(INSTANCES, instanceKey(instance.workflow, instance.correlation), instance);
  }

  async list(workflow: string): Promise<WorkflowInstance[]> {
    const rows = [...(await this.tx.listRows(INSTANCES)).values()] as WorkflowInstance[];
    return rows.filter((i) => i.workflow === workflow).sort((a, b) => compare(a.correlation, b.correlation));
  }

  async due(workflow: string, nowMs: number, limit: number): Promise<string[]> {
    const withDeadline = (await this.list(workflow)).flatMap((i) => {
      const at = nextDeadline(i);
      return at !== null && at <= nowMs ? [{ at, correlation: i.correlation }] : [];
    });
    withDeadline.sort((a, b) => a.at - b.at || compare(a.correlation, b.correlation));
    return withDeadline.slice(0, limit).map((d) => d.correlation);
  }

  async enqueue(instance: WorkflowInstance, commands: readonly PlannedCommand[], time: string): Promise<void> {
    for (const planned of commands) {
      if ((await this.command(planned.commandId)) !== null) continue;
      const row: Sequenced<QueuedCommand> = {
        ...queued(instance, planned, time),
        seq: await this.nextSeq(COMMANDS),
      };
      await this.tx.putRow(COMMANDS, planned.commandId, row);
    }
  }

  async cancel(commandIds: readonly string[]): Promise<void> {
    for (const id of commandIds) {
      const row = await this.command(id);
      if (row?.status === "pending") await this.tx.putRow(COMMANDS, id, { ...row, status: "cancelled" });
    }
  }

  async pending(workflow: string, limit: number, claims?: ClaimFilter): Promise<QueuedCommand[]> {
    const others = new Set(
      claims === undefined ? [] : (await this.claims(workflow)).filter((k) => k.holder !== claims.holder && k.heldUntil > claims.nowMs).map((k) => k.correlation),
    );
    const unsent = (await this.commands(workflow)).filter((c) => (c.status === "pending" || c.status === "sending") && !others.has(c.correlation));
    return unsent.slice(0, limit);
  }

  async claimInstance(workflow: string, correlation: string, holder: string, nowMs: number, untilMs: number): Promise<boolean> {
    const key = instanceKey(workflow, correlation);
    const current = (await this.tx.getRows(CLAIMS, [key])).get(key) as InstanceClaim | undefined;
    if (current !== undefined && current.holder !== holder && current.heldUntil > nowMs) return false;
    await this.tx.putRow(CLAIMS, key, { correlation, holder, heldUntil: untilMs } satisfies InstanceClaim);
    return true;
  }

  async releaseClaims(workflow: string, holder: string, correlation?: string): Promise<void> {
    for (const claim of await this.claims(workflow)) {
      if (claim.holder === holder && (correlation === undefined || claim.correlation === correlation)) await this.tx.deleteRow(CLAIMS, instanceKey(workflow, claim.correlation));
    }
  }

  async claims(workflow: string): Promise<InstanceClaim[]> {
    const prefix = instanceKey(workflow, "");
    const rows = [...(await this.tx.listRows(CLAIMS)).entries()].filter(([key]) => key.startsWith(prefix)).map(([, claim]) => claim as InstanceClaim);
    return rows.sort((a, b) => compare(a.correlation, b.correlation));
  }

  async claim(commandId: string): Promise<boolean> {
    const row = await this.command(commandId);
    if (row === null || (row.status !== "pending" && row.status !== "sending")) return false;
    await this.tx.putRow(COMMANDS, commandId, { ...row, status: "sending" });
    return true;
  }

  async command(commandId: string): Promise<QueuedCommand | null> {
    return ((await this.tx.getRows(COMMANDS, [commandId])).get(commandId) as QueuedCommand | undefined) ?? null;
  }

  async markDispatched(commandId: string, outcome: CommandOutcome, time: string): Promise<void> {
    const row = await this.command(commandId);
    if (row !== null) await this.tx.putRow(COMMANDS, commandId, { ...row, status: "dispatched", outcome, dispatchedAt: time });
  }

  async commands(workflow: string, correlation?: string): Promise<QueuedCommand[]> {
    const rows = [...(await this.tx.listRows(COMMANDS)).values()] as Sequenced<QueuedCommand>[];
    return rows
      .filter((c) => c.workflow === workflow && (correlation === undefined || c.correlation === correlation))
      .sort((a, b) => a.seq - b.seq)
      .map(({ seq: _seq, ...command }) => command);
  }

  async addStray(stray: StrayEvent): Promise<void> {
    const seq = await this.nextSeq(STRAYS);
    await this.tx.putRow(STRAYS, String(seq).padStart(12, "0"), { ...stray, seq });
  }

  async strays(workflow: string): Promise<StrayEvent[]> {
    const rows = [...(await this.tx.listRows(STRAYS)).values()] as Sequenced<StrayEvent>[];
    return rows
      .filter((s) => s.workflow === workflow)
      .sort((a, b) => a.seq - b.seq)
      .map(({ seq: _seq, ...stray }) => stray);
  }

  private async nextSeq(counter: string): Promise<number> {
    const current = ((await this.tx.getRows(COUNTERS, [counter])).get(counter) as number | undefined) ?? 0;
    await this.tx.putRow(COUNTERS, counter, current + 1);
    return current + 1;
  }
}

function instanceKey(workflow: string, correlation: string): string {
  return `${workflow}\u0000${correlation}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
