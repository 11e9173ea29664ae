/** The catalogue's codes of evolution (EDA7xxx): the model compared with a baseline (`compareModels`, `eda check --against`). */
import { message } from "../message.js";
import type { CodeInfo } from "./info.js";

/** What changed in a field, as the clause of an EDA7001–7007 or EDA7101 message. */
export const FIELD_CHANGE = {
  renamed: message`field \`${"field"}\` was renamed to \`${"to"}\``,
  removed: message`field \`${"field"}\` was removed`,
  added: message`new field \`${"field"}\` is required`,
  retyped: message`field \`${"field"}\` changed type from \`${"from"}\` to \`${"to"}\``,
  required: message`optional field \`${"field"}\` became required`,
  tightened: message`field \`${"field"}\` has a tighter constraint: ${"constraint"}`,
  lostDefault: message`field \`${"field"}\` lost its default ${"from"}`,
  changedDefault: message`field \`${"field"}\` changed its default from ${"from"} to ${"to"}`,
  enumMemberRemoved: message`enum \`${"enum"}\` of field \`${"field"}\` lost its member \`${"member"}\``,
};

/** What changed in the upcast of a stored version (EDA7011), one clause per change. */
export const UPCAST_CHANGE = {
  target: message`it now leads to v${"to"} instead of v${"from"}`,
  rule: message`\`${"field"}\` was ${"from"}, now ${"to"}`,
};

/** Why a projection must be rebuilt (EDA7201), one clause per change; names are a list in backticks. */
export const PROJECTION_CHANGE = {
  key: message`its key changed from \`${"from"}\` to \`${"to"}\``,
  fieldsAdded: message`fields added: ${"names"}`,
  fieldsRemoved: message`fields removed: ${"names"}`,
  fieldsChanged: message`fields changed: ${"names"}`,
  sourcesAdded: message`now also from ${"names"}`,
  sourcesRemoved: message`no longer from ${"names"}`,
};

/** How a workflow's steps changed (EDA7301), one clause per change. */
export const STEP_CHANGE = {
  added: message`added ${"names"}`,
  removed: message`removed ${"names"}`,
  changed: message`changed ${"names"}`,
  reordered: message`reordered`,
};

/** A stored event version edited in place (EDA7001–7007): the change, and how to make it a new version. */
const STORED_FIELD = {
  messages: { default: message`In \`${"event"} v${"version"}\`, ${"change"}; events already stored as v${"version"} no longer fit it.` },
  hints: {
    default: message`A stored version keeps its shape: restore \`${"event"} v${"version"}\`, declare the new shape as \`event ${"event"} v${"next"}\` and an upcast from v${"version"} (\`upcast ${"event"} v${"version"} -> v${"next"}\`).`,
    rename: message`A stored version keeps its shape: restore \`${"event"} v${"version"}\`, declare the new shape as \`event ${"event"} v${"next"}\` and an upcast from v${"version"} (\`upcast ${"event"} v${"version"} -> v${"next"} { ${"to"} = from ${"field"} }\`).`,
    compute: message`A stored version keeps its shape: restore \`${"event"} v${"version"}\`, declare the new shape as \`event ${"event"} v${"next"}\` and an upcast from v${"version"} (\`upcast ${"event"} v${"version"} -> v${"next"} { ${"field"} = compute }\`).`,
  },
} as const;

const KEEP_VERSION = message`Keep \`event ${"event"} v${"version"}\` and its upcast for as long as the store may hold v${"version"} events; \`eda store verify\` tells.`;
const KEEP_EVENT = message`Keep \`${"name"}\` with every version the store may hold; \`eda store verify\` lists what it cannot read.`;

export const EVOLUTION_CODES = {
  EDA7001: { name: "stored-field-removed", severity: "error", stage: "evolution", ...STORED_FIELD },
  EDA7002: { name: "stored-field-renamed", severity: "error", stage: "evolution", ...STORED_FIELD },
  EDA7003: { name: "stored-field-retyped", severity: "error", stage: "evolution", ...STORED_FIELD },
  EDA7004: { name: "stored-field-required", severity: "error", stage: "evolution", ...STORED_FIELD },
  EDA7005: { name: "stored-constraint-tightened", severity: "error", stage: "evolution", ...STORED_FIELD },
  EDA7006: { name: "stored-enum-member-removed", severity: "error", stage: "evolution", ...STORED_FIELD },
  EDA7007: { name: "stored-default-changed", severity: "error", stage: "evolution", ...STORED_FIELD },
  EDA7008: {
    name: "stored-version-removed", severity: "error", stage: "evolution",
    messages: {
      default: message`\`${"event"} v${"version"}\` is in the baseline but no longer declared; stored v${"version"} events cannot be read.`,
      upcast: message`\`${"event"} v${"version"}\` is in the baseline but no longer declared; stored v${"version"} events cannot be read (the baseline upcast them to v${"to"}).`,
      still: message`\`${"event"} v${"version"}\` is in the baseline but no longer declared; stored v${"version"} events cannot be read, and an upcast still starts from it.`,
      upcastStill: message`\`${"event"} v${"version"}\` is in the baseline but no longer declared; stored v${"version"} events cannot be read (the baseline upcast them to v${"to"}), and an upcast still starts from it.`,
      manifest: message`\`${"event"} v${"version"}\` is in the manifest but no longer declared; stored v${"version"} events cannot be read.`,
    },
    hints: { default: KEEP_VERSION },
  },
  EDA7009: {
    name: "stored-event-removed", severity: "error", stage: "evolution",
    messages: {
      default: message`Event \`${"event"}\` is in the baseline but no longer declared; the events of it already stored cannot be read.`,
      manifest: message`Event \`${"event"}\` is in the manifest but no longer declared; the events of it already stored cannot be read.`,
    },
    hints: { default: KEEP_EVENT },
  },
  EDA7010: {
    name: "stored-schema-changed", severity: "error", stage: "evolution",
    messages: { default: message`The schema of \`${"event"} v${"version"}\` is not the one in the manifest (sha256 ${"listed"}…, now ${"now"}…); events already stored as v${"version"} may no longer fit it.` },
    hints: { default: message`A stored version keeps its shape: restore \`${"event"} v${"version"}\` as deployed, declare the new shape as \`event ${"event"} v${"next"}\` and an upcast from v${"version"}. Compare with a git revision or a folder to see which field changed.` },
  },
  EDA7011: {
    name: "stored-upcast-changed", severity: "error", stage: "evolution",
    messages: { default: message`The upcast of \`${"event"} v${"version"}\` changed (${"changes"}); events already stored as v${"version"} would read differently than before.` },
    hints: { default: message`Restore the upcast as it was: what was built from the stored v${"version"} events (projections, aggregates' state, workflows) follows it. To change the current shape, declare a new version and an upcast to it from the current one.` },
  },
  EDA7012: {
    name: "stored-pii-subject-changed", severity: "error", stage: "evolution",
    messages: {
      default: message`In \`${"event"} v${"version"}\`, no field is \`@pii(${"subject"})\` any more; events already stored as v${"version"} hold their personal data sealed under the key of \`${"subject"}\`, and it would no longer be opened (those fields would read as missing).`,
      changed: message`In \`${"event"} v${"version"}\`, the personal data is now sealed under \`${"to"}\` instead of \`${"subject"}\`; events already stored as v${"version"} hold it sealed under the key of \`${"subject"}\`, and would read as forgotten.`,
    },
    hints: { default: message`Keep \`@pii(${"subject"})\` on the personal fields of \`${"event"} v${"version"}\`; to seal under another subject, declare the next version with it (the upcast reads the stored one as it was).` },
  },
  EDA7013: {
    name: "aggregate-stream-changed", severity: "error", stage: "evolution",
    messages: {
      default: message`Aggregate \`${"aggregate"}\` now names its streams by \`${"to"}\` instead of \`${"field"}\`; its stored streams are \`${"aggregate"}-<${"field"}>\`, so every existing one would start again from an empty state, its history unread.`,
      renamed: message`Aggregate \`${"aggregate"}\` of the baseline is now \`${"to"}\`, which emits its events; its stored streams are \`${"aggregate"}-<${"field"}>\`, so every existing one would start again from an empty state, its history unread.`,
    },
    hints: {
      default: message`Keep \`stream ${"field"}\`: a stream's name is the aggregate's qualified name and the value of its stream field, for as long as the store holds its events.`,
      renamed: message`Keep the aggregate's name and context: a stream's name is the aggregate's qualified name and the value of its stream field, for as long as the store holds its events.`,
    },
  },
  EDA7101: {
    name: "command-breaking-change", severity: "warning", stage: "evolution",
    messages: {
      default: message`In command \`${"command"}\`, ${"change"}; for senders built on the baseline what they send may now be rejected.`,
      ignored: message`In command \`${"command"}\`, ${"change"}; for senders built on the baseline what they send there is now ignored.`,
      removed: message`Command \`${"command"}\` was removed; senders built on the baseline still send it, and nothing handles it now.`,
    },
    hints: {
      default: message`Deploy the handler and every sender together, or keep the change compatible: a new field optional or with a default, a looser constraint.`,
      removed: message`Remove the senders first, and the command in a later release.`,
    },
  },
  EDA7201: {
    name: "projection-rebuild", severity: "notice", stage: "evolution",
    messages: { default: message`Projection \`${"projection"}\` must be rebuilt: ${"changes"}.` },
    hints: { default: message`Its stored rows follow the old definition: rebuild it when you deploy (\`eda projections rebuild <Context.Name>\` replays the log beside the live rows and swaps them in).` },
  },
  EDA7301: {
    name: "workflow-steps-changed", severity: "warning", stage: "evolution",
    messages: { default: message`The steps of workflow \`${"workflow"}\` changed (${"changes"}); instances already running were started on the old steps.` },
    hints: { default: message`Running instances keep the name of their step and resume on the new definition: let them finish before you deploy, or keep the old steps until they have.` },
  },
} as const satisfies Record<string, CodeInfo>;
