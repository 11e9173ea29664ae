/**
 * The server's settings, sent by the client as `initializationOptions` and in
 * `workspace/didChangeConfiguration` (under `eda`). Unknown or ill-typed values keep the default.
 */

/** Which events count as stored, so that renaming them or their fields is refused. */
export type StoredEvents = "versioned" | "all";

export interface Settings {
  /** Milliseconds between the last edit and the check. */
  readonly diagnosticsDelayMs: number;
  /** `versioned`: events with a version above v1 (their history is in the model); `all`: every event. */
  readonly storedEvents: StoredEvents;
  /**
   * An open document longer than this (in characters) is checked when it is saved, not as it is
   * typed: parsing and checking a model with a document of megabytes takes seconds, during which
   * the server could answer nothing else. A model whose files hold more characters than this in
   * all is checked in steps, answering other messages between them.
   */
  readonly checkOnSaveAbove: number;
}

export const DEFAULT_SETTINGS: Settings = { diagnosticsDelayMs: 10, storedEvents: "versioned", checkOnSaveAbove: 250_000 };

/** Reads settings from a client's `eda` object (`{ diagnostics: { delay, onSaveAbove }, storedEvents }`). */
export function readSettings(value: unknown, base: Settings): Settings {
  if (typeof value !== "object" || value === null) return base;
  const v = value as { diagnostics?: { delay?: unknown; onSaveAbove?: unknown }; storedEvents?: unknown };
  const delay = v.diagnostics?.delay;
  const onSave = v.diagnostics?.onSaveAbove;
  return {
    diagnosticsDelayMs: typeof delay === "number" && Number.isFinite(delay) && delay >= 0 && delay <= 10_000 ? delay : base.diagnosticsDelayMs,
    storedEvents: v.storedEvents === "all" || v.storedEvents === "versioned" ? v.storedEvents : base.storedEvents,
    checkOnSaveAbove: typeof onSave === "number" && Number.isInteger(onSave) && onSave >= 0 ? onSave : base.checkOnSaveAbove,
  };
}
