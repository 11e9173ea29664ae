/**
 * The catalogue of diagnostic codes. Codes are stable: once published, a code keeps its meaning.
 *
 * EDA1xxx syntax · EDA2xxx names and types · EDA3xxx versions and upcasting ·
 * EDA4xxx aggregates, services and projections · EDA5xxx workflows · EDA6xxx conventions and pitfalls ·
 * EDA7xxx evolution (the model compared with a baseline: `compareModels`, `eda check --against`)
 *
 * A `notice` is information that needs an action but is not a defect (a read model to rebuild).
 */
export type Severity = "error" | "warning" | "notice";

interface CodeInfo {
  readonly name: string;
  readonly severity: Severity;
}

export const CODES = {
  // ── syntax ────────────────────────────────────────────────────────────────
  EDA1001: { name: "unexpected-character", severity: "error" },
  EDA1002: { name: "unterminated-string", severity: "error" },
  EDA1003: { name: "unterminated-comment", severity: "error" },
  EDA1004: { name: "expected-token", severity: "error" },
  EDA1005: { name: "unexpected-token", severity: "error" },
  EDA1006: { name: "missing-context", severity: "error" },
  EDA1007: { name: "invalid-version", severity: "error" },
  EDA1008: { name: "invalid-number", severity: "error" },
  EDA1009: { name: "invalid-escape", severity: "error" },
  EDA1010: { name: "duplicate-clause", severity: "error" },
  EDA1011: { name: "clause-not-allowed", severity: "error" },
  EDA1012: { name: "orphan-doc-comment", severity: "warning" },
  EDA1013: { name: "nesting-too-deep", severity: "error" },
  EDA1014: { name: "too-many-problems", severity: "error" },
  // ── names and types ───────────────────────────────────────────────────────
  EDA2001: { name: "unknown-name", severity: "error" },
  EDA2002: { name: "ambiguous-name", severity: "error" },
  EDA2003: { name: "duplicate-declaration", severity: "error" },
  EDA2004: { name: "duplicate-field", severity: "error" },
  EDA2005: { name: "unknown-context", severity: "error" },
  EDA2006: { name: "wrong-kind", severity: "error" },
  EDA2007: { name: "duplicate-enum-member", severity: "error" },
  EDA2008: { name: "reserved-name", severity: "error" },
  EDA2009: { name: "unused-use", severity: "warning" },
  EDA2010: { name: "use-of-own-context", severity: "warning" },
  EDA2011: { name: "recursive-type", severity: "error" },
  EDA2012: { name: "bad-type-arguments", severity: "error" },
  EDA2013: { name: "empty-enum", severity: "error" },
  EDA2014: { name: "message-name-clash", severity: "error" },
  EDA2015: { name: "context-folder-collision", severity: "error" },
  EDA2016: { name: "file-name-collision", severity: "error" },
  EDA2101: { name: "default-type-mismatch", severity: "error" },
  EDA2102: { name: "unknown-decorator", severity: "error" },
  EDA2103: { name: "decorator-not-applicable", severity: "error" },
  EDA2104: { name: "decorator-bad-argument", severity: "error" },
  EDA2105: { name: "invalid-pattern", severity: "error" },
  EDA2106: { name: "contradictory-bounds", severity: "error" },
  EDA2107: { name: "duplicate-decorator", severity: "error" },
  EDA2108: { name: "default-violates-constraint", severity: "error" },
  // ── versions and upcasting ────────────────────────────────────────────────
  EDA3001: { name: "duplicate-version", severity: "error" },
  EDA3002: { name: "no-upcast-path", severity: "error" },
  EDA3003: { name: "upcast-field-unset", severity: "error" },
  EDA3004: { name: "unknown-version", severity: "error" },
  EDA3005: { name: "upcast-unknown-field", severity: "error" },
  EDA3006: { name: "upcast-bad-source", severity: "error" },
  EDA3007: { name: "upcast-not-forward", severity: "error" },
  EDA3008: { name: "duplicate-upcast", severity: "error" },
  EDA3009: { name: "redundant-upcast-rule", severity: "warning" },
  EDA3010: { name: "ambiguous-upcast-path", severity: "error" },
  EDA3011: { name: "upcast-of-non-event", severity: "error" },
  // ── aggregates, services, projections ─────────────────────────────────────
  EDA4001: { name: "unhandled-command", severity: "error" },
  EDA4002: { name: "command-handled-twice", severity: "error" },
  EDA4003: { name: "foreign-event-emitted", severity: "error" },
  EDA4004: { name: "foreign-command-handled", severity: "error" },
  EDA4005: { name: "missing-stream-field", severity: "error" },
  EDA4006: { name: "missing-stream-clause", severity: "error" },
  EDA4007: { name: "stream-type-mismatch", severity: "error" },
  EDA4008: { name: "invalid-snapshot", severity: "error" },
  EDA4009: { name: "no-handlers", severity: "warning" },
  EDA4010: { name: "projection-missing-key", severity: "error" },
  EDA4011: { name: "projection-without-events", severity: "error" },
  EDA4012: { name: "projection-key-type-mismatch", severity: "error" },
  EDA4013: { name: "event-emitted-twice", severity: "warning" },
  EDA4014: { name: "required-state-without-default", severity: "error" },
  EDA4015: { name: "pii-stream-field", severity: "error" },
  EDA4016: { name: "pii-projection-key", severity: "error" },
  EDA4017: { name: "pii-correlation-field", severity: "error" },
  EDA4018: { name: "pii-subject-unknown", severity: "error" },
  EDA4019: { name: "pii-subject-unusable", severity: "error" },
  EDA4020: { name: "state-variant-twice", severity: "error" },
  EDA4021: { name: "state-variant-status-field", severity: "error" },
  // ── workflows ─────────────────────────────────────────────────────────────
  EDA5001: { name: "message-kind-mixed", severity: "error" },
  EDA5002: { name: "unmapped-field", severity: "error" },
  EDA5003: { name: "mapping-type-mismatch", severity: "error" },
  EDA5004: { name: "mapping-unknown-target", severity: "error" },
  EDA5005: { name: "mapping-unknown-source", severity: "error" },
  EDA5006: { name: "unreachable-step", severity: "error" },
  EDA5007: { name: "awaited-event-never-emitted", severity: "error" },
  EDA5008: { name: "missing-start", severity: "error" },
  EDA5009: { name: "missing-correlation", severity: "error" },
  EDA5010: { name: "correlation-field-missing", severity: "error" },
  EDA5011: { name: "duplicate-step", severity: "error" },
  EDA5012: { name: "incomplete-step", severity: "error" },
  EDA5013: { name: "missing-compensation", severity: "warning" },
  EDA5014: { name: "choreography-cycle", severity: "error" },
  EDA5015: { name: "undetectable-failure", severity: "warning" },
  EDA5016: { name: "invalid-retry", severity: "error" },
  EDA5017: { name: "empty-workflow", severity: "error" },
  EDA5018: { name: "invalid-timeout", severity: "error" },
  // ── conventions and pitfalls ──────────────────────────────────────────────
  EDA6001: { name: "command-not-imperative", severity: "warning" },
  EDA6002: { name: "event-not-past-tense", severity: "warning" },
  EDA6003: { name: "query-as-command", severity: "warning" },
  EDA6004: { name: "name-not-pascal-case", severity: "warning" },
  EDA6005: { name: "field-not-camel-case", severity: "warning" },
  EDA6006: { name: "deprecated-field-written", severity: "warning" },
  // ── evolution (against a baseline) ────────────────────────────────────────
  EDA7001: { name: "stored-field-removed", severity: "error" },
  EDA7002: { name: "stored-field-renamed", severity: "error" },
  EDA7003: { name: "stored-field-retyped", severity: "error" },
  EDA7004: { name: "stored-field-required", severity: "error" },
  EDA7005: { name: "stored-constraint-tightened", severity: "error" },
  EDA7006: { name: "stored-enum-member-removed", severity: "error" },
  EDA7007: { name: "stored-default-changed", severity: "error" },
  EDA7008: { name: "stored-version-removed", severity: "error" },
  EDA7009: { name: "stored-event-removed", severity: "error" },
  EDA7010: { name: "stored-schema-changed", severity: "error" },
  EDA7101: { name: "command-breaking-change", severity: "warning" },
  EDA7201: { name: "projection-rebuild", severity: "notice" },
  EDA7301: { name: "workflow-steps-changed", severity: "warning" },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;
