/** The catalogue's codes of versions and upcasting (EDA3xxx). */
import { message } from "../message.js";
import type { CodeInfo } from "./info.js";

export const VERSIONS_CODES = {
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
  EDA3012: {
    name: "pii-subject-dropped", severity: "warning", stage: "resolve",
    messages: {
      default: message`\`${"event"} v${"from"}\` encrypts \`${"field"}\` for its subject (\`@pii(${"subject"})\`), but \`v${"to"}\` does not: events written as \`v${"to"}\` keep it in clear, where \`eda forget\` no longer reaches it.`,
      plain: message`\`${"event"} v${"from"}\` encrypts \`${"field"}\` for its subject (\`@pii(${"subject"})\`), but \`v${"to"}\` only redacts it in logs (plain \`@pii\`): events written as \`v${"to"}\` keep it in clear, where \`eda forget\` no longer reaches it.`,
      moved: message`This upcast moves \`${"source"}\`, which \`${"event"} v${"from"}\` encrypts for its subject (\`@pii(${"subject"})\`), into \`${"field"}\`, which \`v${"to"}\` does not encrypt: events written as \`v${"to"}\` keep it in clear, where \`eda forget\` no longer reaches it.`,
    },
    hints: {
      keep: message`Keep \`@pii(${"subject"})\` on \`${"field"}\` in \`v${"to"}\`, so that events written as \`v${"to"}\` are encrypted for the same subject.`,
      mark: message`Mark \`${"field"}\` \`@pii(${"subject"})\` in \`v${"to"}\`, so that events written as \`v${"to"}\` are encrypted for the same subject.`,
      renamedSubject: message`Mark \`${"field"}\` \`@pii(${"newSubject"})\` in \`v${"to"}\`: \`${"newSubject"}\` holds the \`${"subject"}\` of \`v${"from"}\`, so events written as \`v${"to"}\` are encrypted for the same subject.`,
      noSubject: message`Give \`v${"to"}\` the subject's id (\`${"subject"}\`, carried over or filled \`from ${"subject"}\` by the upcast) and mark \`${"field"}\` \`@pii(${"subject"})\`.`,
    },
  },
} as const satisfies Record<string, CodeInfo>;
