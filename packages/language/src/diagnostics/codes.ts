/**
 * The catalogue of diagnostic codes. Codes are stable: once published, a code keeps its meaning.
 *
 * EDA1xxx syntax · EDA2xxx names and types · EDA3xxx versions and upcasting ·
 * EDA4xxx aggregates, services and projections · EDA5xxx workflows · EDA6xxx conventions and pitfalls ·
 * EDA7xxx evolution (the model compared with a baseline: `compareModels`, `eda check --against`)
 *
 * A `notice` is information that needs an action but is not a defect (a read model to rebuild).
 */
import { message, type MessageTemplate } from "./message.js";

export type Severity = "error" | "warning" | "notice";

/**
 * The stage of the front end that finds a problem: `syntax` (lexer, parser, doc comments; the
 * text has not the language's form — every EDA1xxx), `resolve` (names, types, versions,
 * mappings), `check` (rules over the whole Model), `evolution` (the model compared with a
 * baseline, `compareModels`). Ask `stageOf(code)`, never compare code strings.
 */
export type Stage = "syntax" | "resolve" | "check" | "evolution";

interface CodeInfo {
  readonly name: string;
  readonly severity: Severity;
  readonly stage: Stage;
  /**
   * The wording, as templates a call site fills with data (`report` in `diagnostic.ts`):
   * `default`, and named variants for other cases of the same problem.
   */
  readonly messages?: { readonly default: MessageTemplate } & { readonly [variant: string]: MessageTemplate };
  /** Hints, filled with the same data; a variant without one takes the `default` hint. */
  readonly hints?: { readonly [variant: string]: MessageTemplate };
}

/** The hint of the personal-data codes (EDA4015–4017). */
const PII_HINT = message`Key it by an id (\`customerId: uuid\`) and keep the personal data in a field of its own, which logs and traces redact.`;

export const CODES = {
  // ── syntax ────────────────────────────────────────────────────────────────
  EDA1001: { name: "unexpected-character", severity: "error", stage: "syntax" },
  EDA1002: { name: "unterminated-string", severity: "error", stage: "syntax" },
  EDA1003: { name: "unterminated-comment", severity: "error", stage: "syntax" },
  EDA1004: { name: "expected-token", severity: "error", stage: "syntax" },
  EDA1005: { name: "unexpected-token", severity: "error", stage: "syntax" },
  EDA1006: { name: "missing-context", severity: "error", stage: "syntax" },
  EDA1007: { name: "invalid-version", severity: "error", stage: "syntax" },
  EDA1008: { name: "invalid-number", severity: "error", stage: "syntax" },
  EDA1009: { name: "invalid-escape", severity: "error", stage: "syntax" },
  EDA1010: { name: "duplicate-clause", severity: "error", stage: "syntax" },
  EDA1011: { name: "clause-not-allowed", severity: "error", stage: "syntax" },
  EDA1012: { name: "orphan-doc-comment", severity: "warning", stage: "syntax" },
  EDA1013: { name: "nesting-too-deep", severity: "error", stage: "syntax" },
  EDA1014: { name: "too-many-problems", severity: "error", stage: "syntax" },
  // ── names and types ───────────────────────────────────────────────────────
  EDA2001: { name: "unknown-name", severity: "error", stage: "resolve" },
  EDA2002: { name: "ambiguous-name", severity: "error", stage: "resolve" },
  EDA2003: { name: "duplicate-declaration", severity: "error", stage: "resolve" },
  EDA2004: { name: "duplicate-field", severity: "error", stage: "resolve" },
  EDA2005: { name: "unknown-context", severity: "error", stage: "resolve" },
  EDA2006: { name: "wrong-kind", severity: "error", stage: "resolve" },
  EDA2007: { name: "duplicate-enum-member", severity: "error", stage: "resolve" },
  EDA2008: {
    name: "reserved-name", severity: "error", stage: "check",
    messages: {
      default: message`\`${"name"}\` cannot be used as a name: it is reserved in TypeScript.`,
      global: message`\`${"name"}\` cannot be used as a name: it would hide the JavaScript global of that name in generated code.`,
      field: message`\`${"name"}\` cannot be a field name: it is reserved in TypeScript or has a special meaning on objects.`,
      member: message`\`${"name"}\` cannot be an enum member: it is reserved in TypeScript.`,
    },
    hints: {
      default: message`Choose a more specific name, like \`${"context"}${"name"}\`.`,
      field: message`Rename the field.`,
      member: message`Rename the member.`,
    },
  },
  EDA2009: { name: "unused-use", severity: "warning", stage: "resolve" },
  EDA2010: { name: "use-of-own-context", severity: "warning", stage: "resolve" },
  EDA2011: {
    name: "recursive-type", severity: "error", stage: "check",
    messages: { default: message`\`${"type"}\` requires itself: ${"cycle"}, so no value of it can ever exist.` },
    hints: { default: message`Make one of the fields on the cycle optional or a list.` },
  },
  EDA2012: { name: "bad-type-arguments", severity: "error", stage: "resolve" },
  EDA2013: { name: "empty-enum", severity: "error", stage: "resolve" },
  EDA2014: {
    name: "message-name-clash", severity: "error", stage: "check",
    messages: { default: message`\`${"name"}\` is also a ${"kind"} of context \`${"context"}\`; messages travel under their name, so it must be unique in the whole model.` },
    hints: { default: message`Rename one of them, e.g. \`${"ownContext"}${"name"}\`.` },
  },
  EDA2015: {
    name: "context-folder-collision", severity: "error", stage: "check",
    messages: { default: message`Contexts \`${"first"}\` and \`${"second"}\` would both generate into the folder \`${"folder"}/\`, so one would overwrite the other.` },
    hints: { default: message`Rename one of the contexts.` },
  },
  EDA2016: {
    name: "file-name-collision", severity: "error", stage: "check",
    messages: { default: message`\`${"name"}\` and \`${"first"}\` differ only in case, so their ${"what"} would be the same file on a case-insensitive file system.` },
    hints: { default: message`Rename one of them.` },
  },
  EDA2101: { name: "default-type-mismatch", severity: "error", stage: "resolve" },
  EDA2102: { name: "unknown-decorator", severity: "error", stage: "resolve" },
  EDA2103: { name: "decorator-not-applicable", severity: "error", stage: "resolve" },
  EDA2104: { name: "decorator-bad-argument", severity: "error", stage: "resolve" },
  EDA2105: { name: "invalid-pattern", severity: "error", stage: "resolve" },
  EDA2106: { name: "contradictory-bounds", severity: "error", stage: "resolve" },
  EDA2107: { name: "duplicate-decorator", severity: "error", stage: "resolve" },
  EDA2108: { name: "default-violates-constraint", severity: "error", stage: "resolve" },
  // ── versions and upcasting ────────────────────────────────────────────────
  EDA3001: {
    name: "duplicate-version", severity: "error", stage: "resolve",
    messages: { default: message`\`${"event"} v${"version"}\` is declared twice.` },
    hints: { default: message`Give the new shape the next version: \`event ${"event"} v${"next"}\`.` },
  },
  EDA3002: {
    name: "no-upcast-path", severity: "error", stage: "resolve",
    messages: {
      default: message`Stored \`${"event"} v${"version"}\` events cannot be read as \`v${"current"}\`: there is no upcast path.`,
      beyond: message`Stored \`${"event"} v${"version"}\` events cannot be read as \`v${"current"}\`: there is no upcast path beyond \`v${"at"}\`.`,
    },
    hints: { default: message`Add \`upcast ${"event"} v${"at"} -> v${"current"} { … }\`.` },
  },
  EDA3003: {
    name: "upcast-field-unset", severity: "error", stage: "resolve",
    messages: {
      default: message`This upcast leaves \`${"field"}\` unset: \`v${"from"}\` has no field \`${"field"}\`.`,
      optional: message`This upcast leaves \`${"field"}\` unset: it is optional in \`v${"from"}\` but required in \`v${"to"}\`.`,
      type: message`This upcast leaves \`${"field"}\` unset: \`v${"from"}\` has \`${"field"}\` as \`${"oldType"}\`, but \`v${"to"}\` needs \`${"newType"}\`.`,
    },
    hints: { default: message`Add a rule: \`${"field"} = <default>\`, \`${"field"} = from <oldField>\` or \`${"field"} = compute\`.` },
  },
  EDA3004: {
    name: "unknown-version", severity: "error", stage: "resolve",
    messages: { default: message`\`${"event"}\` has no version \`v${"version"}\`.` },
    hints: { default: message`Its versions are ${"versions"}.` },
  },
  EDA3005: {
    name: "upcast-unknown-field", severity: "error", stage: "resolve",
    messages: { default: message`\`${"event"} v${"version"}\` has no field \`${"field"}\`.` },
    hints: { default: message`Rules set fields of the new version: ${"fields"}.` },
  },
  EDA3006: {
    name: "upcast-bad-source", severity: "error", stage: "resolve",
    messages: {
      default: message`\`${"event"} v${"version"}\` has no field \`${"source"}\` to take \`${"field"}\` from.`,
      optional: message`I cannot take \`${"field"}\` from \`${"source"}\`: \`${"source"}\` is optional but \`${"field"}\` is required.`,
      type: message`I cannot take \`${"field"}\` from \`${"source"}\`: \`${"source"}\` is \`${"sourceType"}\` but \`${"field"}\` is \`${"fieldType"}\`.`,
    },
    hints: {
      default: message`Its fields are ${"fields"}.`,
      optional: message`Use \`${"field"} = compute\` to convert it in code.`,
      type: message`Use \`${"field"} = compute\` to convert it in code.`,
    },
  },
  EDA3007: {
    name: "upcast-not-forward", severity: "error", stage: "resolve",
    messages: { default: message`An upcast goes from an older version to a newer one, but \`v${"from"} -> v${"to"}\` does not.` },
    hints: { default: message`Write \`upcast ${"event"} v${"older"} -> v${"newer"}\`.` },
  },
  EDA3008: {
    name: "duplicate-upcast", severity: "error", stage: "resolve",
    messages: {
      default: message`There is already an upcast of \`${"event"}\` from \`v${"from"}\` to \`v${"to"}\`.`,
      rule: message`\`${"field"}\` already has a rule in this upcast.`,
    },
    hints: { default: message`Keep one of them.`, rule: message`Keep one rule per field.` },
  },
  EDA3009: {
    name: "redundant-upcast-rule", severity: "warning", stage: "resolve",
    messages: {
      default: message`\`${"field"}\` is carried over unchanged from \`v${"from"}\`; the rule replaces the value every stored event carries.`,
      defaultValue: message`\`${"field"}\` is carried over unchanged from \`v${"from"}\`; this default overwrites the value every stored event carries.`,
      rename: message`\`${"field"}\` is carried over unchanged anyway; this rule is not needed.`,
    },
    hints: {
      default: message`Remove the rule, or rename the field in the new version if its meaning changed.`,
      rename: message`Remove the rule.`,
    },
  },
  EDA3010: {
    name: "ambiguous-upcast-path", severity: "error", stage: "resolve",
    messages: { default: message`\`${"event"} v${"from"}\` already upcasts to \`v${"to"}\`; a second path makes the result ambiguous.` },
    hints: { default: message`Keep one upcast per old version.` },
  },
  EDA3011: {
    name: "upcast-of-non-event", severity: "error", stage: "resolve",
    messages: { default: message`\`${"name"}\` is ${"kind"}; only events have versions to upcast.` },
    hints: { default: message`Name an event.` },
  },
  // ── aggregates, services, projections ─────────────────────────────────────
  EDA4001: {
    name: "unhandled-command", severity: "error", stage: "check",
    messages: { default: message`No aggregate or service handles the command \`${"command"}\`.` },
    hints: { default: message`Add \`on ${"command"} emits …\` to the aggregate or service of context \`${"context"}\` that performs it.` },
  },
  EDA4002: {
    name: "command-handled-twice", severity: "error", stage: "check",
    messages: { default: message`\`${"command"}\` is already handled by ${"kind"} \`${"owner"}\`; a command has exactly one handler.` },
    hints: { default: message`Keep one handler; other parts of the system can react to the events it emits.` },
  },
  EDA4003: {
    name: "foreign-event-emitted", severity: "error", stage: "check",
    messages: { default: message`\`${"owner"}\` is in context \`${"context"}\` but emits \`${"event"}\`, an event of another context.` },
    hints: { default: message`Declare the event in \`${"context"}\`: a context records only its own facts.` },
  },
  EDA4004: {
    name: "foreign-command-handled", severity: "error", stage: "check",
    messages: { default: message`\`${"owner"}\` is in context \`${"context"}\` but handles \`${"command"}\`, a command of another context.` },
    hints: { default: message`Handle it in context \`${"commandContext"}\`, or declare the command in \`${"context"}\`.` },
  },
  EDA4005: {
    name: "missing-stream-field", severity: "error", stage: "check",
    messages: { default: message`\`${"owner"}\` has no field \`${"field"}\`, the stream field of aggregate \`${"aggregate"}\`.` },
  },
  EDA4006: {
    name: "missing-stream-clause", severity: "error", stage: "check",
    messages: { default: message`The aggregate \`${"aggregate"}\` does not name its stream field.` },
    hints: { default: message`Add \`stream fieldName\`: the identity field that its commands and events carry.` },
  },
  EDA4007: {
    name: "stream-type-mismatch", severity: "error", stage: "check",
    messages: {
      default: message`\`${"owner"}.${"field"}\` is ${"actual"}, but \`${"first"}.${"field"}\` is ${"expected"}: a stream field has one type and is always present.`,
      optional: message`\`${"owner"}.${"field"}\` is optional, but a stream field is always present.`,
    },
    hints: {
      default: message`Give every command and event of the aggregate the same, required stream field.`,
      optional: message`Make \`${"field"}\` required in \`${"owner"}\`.`,
    },
  },
  EDA4008: {
    name: "invalid-snapshot", severity: "error", stage: "check",
    messages: { default: message`\`snapshot every ${"every"}\` needs a whole number of events, at least 1.` },
    hints: { default: message`Write \`snapshot every 100\`.` },
  },
  EDA4009: {
    name: "no-handlers", severity: "warning", stage: "check",
    messages: { default: message`The ${"kind"} \`${"owner"}\` handles no command.` },
    hints: { default: message`Add \`on Command emits Event\` lines, or remove it.` },
  },
  EDA4010: {
    name: "projection-missing-key", severity: "error", stage: "check",
    messages: {
      default: message`The projection \`${"projection"}\` has no key.`,
      eventLacksKey: message`\`${"event"}\` has no field \`${"key"}\`, the key of projection \`${"projection"}\`.`,
    },
    hints: {
      default: message`Add \`key fieldName: Type\`: one row per value of a field its events carry.`,
      eventLacksKey: message`Add \`${"key"}\` to \`${"event"}\`, or build the projection from other events.`,
    },
  },
  EDA4011: {
    name: "projection-without-events", severity: "error", stage: "check",
    messages: { default: message`The projection \`${"projection"}\` is built from no events.` },
    hints: { default: message`Add \`from EventA, EventB\`.` },
  },
  EDA4012: {
    name: "projection-key-type-mismatch", severity: "error", stage: "check",
    messages: { default: message`\`${"event"}.${"key"}\` is ${"actual"}, but the key of \`${"projection"}\` is \`${"keyType"}\`.` },
    hints: { default: message`The key field must have the key's type and always be present.` },
  },
  EDA4013: {
    name: "event-emitted-twice", severity: "warning", stage: "check",
    messages: { default: message`\`${"event"}\` is emitted by both \`${"first"}\` and \`${"second"}\`.` },
    hints: { default: message`An event usually has one source of truth; consider two events.` },
  },
  EDA4014: {
    name: "required-state-without-default", severity: "error", stage: "check",
    messages: {
      default: message`The ${"what"} field \`${"field"}\` of \`${"owner"}\` has no default, so there is no initial ${"what"}.`,
      variant: message`The ${"what"} field \`${"field"}\` of \`${"owner"}\`'s first variant \`${"variantName"}\` (its initial state) has no default, so there is no initial ${"what"}.`,
    },
  },
  EDA4015: {
    name: "pii-stream-field", severity: "error", stage: "check",
    messages: { default: message`\`${"owner"}.${"field"}\` is personal data (\`@pii\`), but it is the stream field of aggregate \`${"aggregate"}\`: stream ids appear in logs, traces and errors.` },
    hints: { default: PII_HINT },
  },
  EDA4016: {
    name: "pii-projection-key", severity: "error", stage: "check",
    messages: {
      default: message`\`${"owner"}.${"field"}\` is personal data (\`@pii\`), but it is the key of projection \`${"projection"}\`: row keys appear in logs and errors and are stored as they are.`,
      key: message`The key of projection \`${"projection"}\` is personal data (\`@pii\`): row keys appear in logs and errors and are stored as they are.`,
    },
    hints: { default: PII_HINT },
  },
  EDA4017: {
    name: "pii-correlation-field", severity: "error", stage: "check",
    messages: { default: message`\`${"owner"}.${"field"}\` is personal data (\`@pii\`), but workflow \`${"workflow"}\` correlates on it: the correlation value is part of its command ids and instance keys.` },
    hints: { default: PII_HINT },
  },
  EDA4018: { name: "pii-subject-unknown", severity: "error", stage: "check" },
  EDA4019: { name: "pii-subject-unusable", severity: "error", stage: "check" },
  EDA4020: {
    name: "state-variant-twice", severity: "error", stage: "check",
    messages: { default: message`The state of \`${"aggregate"}\` already has a variant \`${"variant"}\`.` },
    hints: { default: message`Give each variant its own name, or join their fields into one.` },
  },
  EDA4021: {
    name: "state-variant-status-field", severity: "error", stage: "check",
    messages: { default: message`The variant \`${"variant"}\` of \`${"aggregate"}\` declares a field \`${"field"}\`, but \`${"field"}\` is the tag that names the variant.` },
    hints: { default: message`Rename the field (\`phase\`, \`stage\`): \`state.${"field"}\` is already \`"${"variant"}"\`.` },
  },
  EDA4030: { name: "unknown-rejection", severity: "error", stage: "resolve" },
  EDA4031: { name: "rejection-declared-twice", severity: "error", stage: "resolve" },
  EDA4032: { name: "unused-rejection", severity: "warning", stage: "resolve" },
  EDA4033: { name: "rejection-reserved-field", severity: "error", stage: "resolve" },
  // ── workflows ─────────────────────────────────────────────────────────────
  EDA5001: { name: "message-kind-mixed", severity: "error", stage: "resolve" },
  EDA5002: { name: "unmapped-field", severity: "error", stage: "resolve" },
  EDA5003: { name: "mapping-type-mismatch", severity: "error", stage: "resolve" },
  EDA5004: { name: "mapping-unknown-target", severity: "error", stage: "resolve" },
  EDA5005: { name: "mapping-unknown-source", severity: "error", stage: "resolve" },
  EDA5006: {
    name: "unreachable-step", severity: "error", stage: "check",
    messages: { default: message`The step \`${"step"}\` can never run: the step \`${"blocker"}\` before it never completes.` },
    hints: { default: message`Fix \`${"blocker"}\` so it awaits an event its command can emit.` },
  },
  EDA5007: {
    name: "awaited-event-never-emitted", severity: "error", stage: "check",
    messages: { default: message`The step \`${"step"}\` awaits \`${"event"}\`, but \`${"command"}\` is handled by \`${"owner"}\`, which never emits it.` },
    hints: { default: message`Await an event the command's handler emits.` },
  },
  EDA5008: { name: "missing-start", severity: "error", stage: "resolve" },
  EDA5009: { name: "missing-correlation", severity: "error", stage: "resolve" },
  EDA5010: { name: "correlation-field-missing", severity: "error", stage: "resolve" },
  EDA5011: { name: "duplicate-step", severity: "error", stage: "resolve" },
  EDA5012: { name: "incomplete-step", severity: "error", stage: "resolve" },
  EDA5013: {
    name: "missing-compensation", severity: "warning", stage: "check",
    messages: { default: message`If a later step fails, nothing undoes the step \`${"step"}\`.` },
    hints: { default: message`Add \`compensate Command\` to it, or move it after the steps that can fail.` },
  },
  EDA5014: {
    name: "choreography-cycle", severity: "error", stage: "check",
    messages: { default: message`These rules trigger each other forever: ${"cycle"} → \`${"event"}\`.` },
    hints: { default: message`Break the cycle: react to a different event, or stop one rule from sending a command that leads back here.` },
  },
  EDA5015: {
    name: "undetectable-failure", severity: "warning", stage: "check",
    messages: { default: message`If the step \`${"step"}\` fails, the workflow will never notice: it has no \`fail on\`, no \`retry\`, and the workflow has no \`timeout\`.` },
    hints: { default: message`Add \`fail on FailureEvent\`, a \`retry\`, or a \`timeout\` to the workflow.` },
  },
  EDA5016: { name: "invalid-retry", severity: "error", stage: "resolve" },
  EDA5017: { name: "empty-workflow", severity: "error", stage: "resolve" },
  EDA5018: { name: "invalid-timeout", severity: "error", stage: "resolve" },
  // ── conventions and pitfalls ──────────────────────────────────────────────
  EDA6001: {
    name: "command-not-imperative", severity: "warning", stage: "check",
    messages: {
      default: message`\`${"command"}\` does not start with a verb; commands are requests, named after the action they ask for.`,
      past: message`\`${"command"}\` sounds like something that already happened; commands are requests, named imperatively.`,
      verbLast: message`\`${"command"}\` puts its verb last; commands are requests, named verb first.`,
    },
    hints: {
      default: message`Name it verb first, like \`PlaceOrder\` or \`CancelBooking\`.`,
      past: message`Name it verb first, like \`PlaceOrder\`; if it is a fact, declare it as an event.`,
      verbLast: message`Write \`${"suggestion"}\`.`,
    },
  },
  EDA6002: {
    name: "event-not-past-tense", severity: "warning", stage: "check",
    messages: { default: message`Events record what happened, so \`${"event"}\` should name its verb as a past participle.` },
    hints: { default: message`Name it after the fact, in the past tense: \`OrderPlaced\`, \`PaymentCaptured\`, \`ItemsCheckedInToInventory\`.` },
  },
  EDA6003: {
    name: "query-as-command", severity: "warning", stage: "check",
    messages: { default: message`\`${"command"}\` reads like a query. Commands change state; a query through the command path gains nothing and costs a round trip.` },
    hints: { default: message`Read from a projection or call the service directly instead.` },
  },
  EDA6004: {
    name: "name-not-pascal-case", severity: "warning", stage: "check",
    messages: {
      default: message`\`${"name"}\` should be PascalCase.`,
      member: message`The enum member \`${"name"}\` should be PascalCase.`,
      stateVariant: message`The state variant \`${"name"}\` should be PascalCase.`,
    },
    hints: { default: message`Write \`${"suggestion"}\`.` },
  },
  EDA6005: {
    name: "field-not-camel-case", severity: "warning", stage: "check",
    messages: { default: message`The field name \`${"name"}\` should be camelCase.`, step: message`The step name \`${"name"}\` should be camelCase.` },
    hints: { default: message`Write \`${"suggestion"}\`.` },
  },
  EDA6006: {
    name: "deprecated-field-written", severity: "warning", stage: "check",
    messages: {
      default: message`\`${"command"}.${"field"}\` is deprecated, but this workflow still writes it.`,
      withReason: message`\`${"command"}.${"field"}\` is deprecated: ${"reason"}, but this workflow still writes it.`,
    },
    hints: { default: message`Stop filling it, or remove \`@deprecated\`.` },
  },
  // ── evolution (against a baseline) ────────────────────────────────────────
  EDA7001: { name: "stored-field-removed", severity: "error", stage: "evolution" },
  EDA7002: { name: "stored-field-renamed", severity: "error", stage: "evolution" },
  EDA7003: { name: "stored-field-retyped", severity: "error", stage: "evolution" },
  EDA7004: { name: "stored-field-required", severity: "error", stage: "evolution" },
  EDA7005: { name: "stored-constraint-tightened", severity: "error", stage: "evolution" },
  EDA7006: { name: "stored-enum-member-removed", severity: "error", stage: "evolution" },
  EDA7007: { name: "stored-default-changed", severity: "error", stage: "evolution" },
  EDA7008: { name: "stored-version-removed", severity: "error", stage: "evolution" },
  EDA7009: { name: "stored-event-removed", severity: "error", stage: "evolution" },
  EDA7010: { name: "stored-schema-changed", severity: "error", stage: "evolution" },
  EDA7101: { name: "command-breaking-change", severity: "warning", stage: "evolution" },
  EDA7201: { name: "projection-rebuild", severity: "notice", stage: "evolution" },
  EDA7301: { name: "workflow-steps-changed", severity: "warning", stage: "evolution" },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

/** The stage of the front end that reports `code`. */
export function stageOf(code: Code): Stage {
  return CODES[code].stage;
}
