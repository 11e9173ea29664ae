/**
 * Redaction for logs and traces: a copy of a message's data with every `@pii` field, of the
 * message and of the value types nested in it, replaced by a marker. Plans come per event
 * version, so an old version's personal fields (under their old names) are found too.
 */
import type { RedactPlan } from "./table.js";

/** What a redacted field reads in logs. */
export const REDACTED = "[redacted]";

/**
 * Applies `plan` to `value`; `types` holds the plans of nested value types. A value of the wrong
 * shape (not an object where the plan expects one) is replaced whole: it may be personal data.
 */
export function redactWith(plan: RedactPlan, value: unknown, types: Readonly<Record<string, RedactPlan>>): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return REDACTED;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const field of plan.pii ?? []) if (Object.hasOwn(out, field)) out[field] = REDACTED;
  for (const [field, type, shape] of plan.nested ?? []) {
    const inner = types[type];
    const v = out[field];
    if (inner === undefined || v === undefined || v === null) continue;
    if (shape === "one") out[field] = redactWith(inner, v, types);
    else if (shape === "list") out[field] = Array.isArray(v) ? v.map((x) => redactWith(inner, x, types)) : REDACTED;
    else out[field] = typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactWith(inner, x, types)])) : REDACTED;
  }
  return out;
}
