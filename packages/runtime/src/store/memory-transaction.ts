/** The in-memory store's transaction: writes are staged and applied on commit, dropped on a throw. */
import { rowJson } from "./checks.js";
import type { Checkpoint, StoreTransaction } from "./event-store.js";

/** The side tables of the in-memory store. */
export interface MemoryTables {
  readonly rows: Map<string, Map<string, unknown>>;
  readonly checkpoints: Map<string, Checkpoint>;
  readonly processed: Map<string, Set<string>>;
}

const DELETED = Symbol("deleted");

/** Rows go through JSON both ways, as in the SQL stores, so callers never share stored objects. */
function copy(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** Stages writes against `tables`; `commit()` applies them. */
export class MemoryTransaction implements StoreTransaction {
  readonly sql = undefined;
  private readonly rowWrites = new Map<string, Map<string, unknown>>();
  private readonly cleared = new Set<string>();
  private readonly checkpointWrites = new Map<string, Checkpoint | null>();
  private readonly processedWrites = new Map<string, Set<string>>();

  constructor(private readonly tables: MemoryTables) {}

  async getRows(table: string, keys: readonly string[]): Promise<Map<string, unknown>> {
    const writes = this.rowWrites.get(table);
    const base = this.cleared.has(table) ? undefined : this.tables.rows.get(table);
    const found = new Map<string, unknown>();
    for (const key of keys) {
      const row = writes?.has(key) === true ? writes.get(key) : base?.get(key);
      if (row !== undefined && row !== DELETED) found.set(key, copy(row));
    }
    return found;
  }

  async listRows(table: string): Promise<Map<string, unknown>> {
    const merged = new Map(this.cleared.has(table) ? [] : this.tables.rows.get(table));
    for (const [key, row] of this.rowWrites.get(table) ?? []) {
      if (row === DELETED) merged.delete(key);
      else merged.set(key, row);
    }
    for (const [key, row] of merged) merged.set(key, copy(row));
    return merged;
  }

  async putRow(table: string, key: string, row: unknown): Promise<void> {
    this.staged(table).set(key, JSON.parse(rowJson(table, key, row, false)) as unknown);
  }

  async deleteRow(table: string, key: string): Promise<void> {
    this.staged(table).set(key, DELETED);
  }

  async clearRows(table: string): Promise<void> {
    this.cleared.add(table);
    this.rowWrites.delete(table);
  }

  async getCheckpoint(name: string): Promise<Checkpoint | null> {
    const staged = this.checkpointWrites.get(name);
    return staged !== undefined ? staged : (this.tables.checkpoints.get(name) ?? null);
  }

  async setCheckpoint(name: string, checkpoint: Checkpoint): Promise<void> {
    this.checkpointWrites.set(name, { ...checkpoint });
  }

  async deleteCheckpoint(name: string): Promise<void> {
    this.checkpointWrites.set(name, null);
  }

  async markProcessed(consumer: string, messageId: string): Promise<boolean> {
    if (this.tables.processed.get(consumer)?.has(messageId) === true) return false;
    const staged = this.processedWrites.get(consumer) ?? new Set<string>();
    if (staged.has(messageId)) return false;
    this.processedWrites.set(consumer, staged.add(messageId));
    return true;
  }

  /** Applies every staged write to the tables. */
  commit(): void {
    for (const table of this.cleared) this.tables.rows.delete(table);
    for (const [table, writes] of this.rowWrites) {
      const rows = this.tables.rows.get(table) ?? new Map<string, unknown>();
      for (const [key, row] of writes) {
        if (row === DELETED) rows.delete(key);
        else rows.set(key, row);
      }
      this.tables.rows.set(table, rows);
    }
    for (const [name, checkpoint] of this.checkpointWrites) {
      if (checkpoint === null) this.tables.checkpoints.delete(name);
      else this.tables.checkpoints.set(name, checkpoint);
    }
    for (const [consumer, ids] of this.processedWrites) {
      const done = this.tables.processed.get(consumer) ?? new Set<string>();
      for (const id of ids) done.add(id);
      this.tables.processed.set(consumer, done);
    }
  }

  private staged(table: string): Map<string, unknown> {
    const writes = this.rowWrites.get(table) ?? new Map<string, unknown>();
    this.rowWrites.set(table, writes);
    return writes;
  }
}
