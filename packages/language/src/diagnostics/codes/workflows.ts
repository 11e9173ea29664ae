/** The catalogue's codes of workflows (EDA5xxx). */
import { message } from "../message.js";
import type { CodeInfo } from "./info.js";
import { DID_YOU_MEAN, LITERAL, WRONG_KIND } from "./shared.js";

const MAP_OR_COMPUTE = message`Map a field of type \`${"targetType"}\`, or use \`${"target"} = compute\` to convert it in code.`;

export const WORKFLOWS_CODES = {
  EDA5001: { name: "message-kind-mixed", severity: "error", stage: "resolve", ...WRONG_KIND },
  EDA5002: {
    name: "unmapped-field", severity: "error", stage: "resolve",
    messages: {
      default: message`Nothing fills \`${"field"}\` of \`${"command"}\` in ${"role"}: \`${"trigger"}\` has no field of that name.`,
      type: message`Nothing fills \`${"field"}\` of \`${"command"}\` in ${"role"}: \`${"trigger"}\` has \`${"field"}\`, but as \`${"sourceType"}\`, not \`${"type"}\`.`,
      optionalType: message`Nothing fills \`${"field"}\` of \`${"command"}\` in ${"role"}: \`${"trigger"}\` has \`${"field"}\`, but as an optional \`${"sourceType"}\`, not \`${"type"}\`.`,
    },
    hints: {
      default: message`Map it: \`${"command"} { ${"field"} = <field, Event.field or literal> }\`, or \`${"field"} = compute\` to supply it in code.`,
      more: message`Map it: \`${"command"} { …, ${"field"} = <field, Event.field or literal> }\`, or \`${"field"} = compute\` to supply it in code.`,
    },
  },
  EDA5003: {
    name: "mapping-type-mismatch", severity: "error", stage: "resolve",
    messages: {
      ...LITERAL.messages,
      mapType: message`I cannot map \`${"source"}\` to \`${"target"}\`: \`${"source"}\` is \`${"sourceType"}\` but \`${"target"}\` is \`${"targetType"}\`.`,
      mapOptional: message`I cannot map \`${"source"}\` to \`${"target"}\`: \`${"source"}\` is optional but \`${"target"}\` is required.`,
    },
    hints: { ...LITERAL.hints, mapType: MAP_OR_COMPUTE, mapOptional: MAP_OR_COMPUTE },
  },
  EDA5004: {
    name: "mapping-unknown-target", severity: "error", stage: "resolve",
    messages: { default: message`\`${"command"}\` has no field \`${"field"}\`.`, twice: message`\`${"field"}\` is mapped twice.` },
    hints: { default: message`Its fields are ${"fields"}.`, guess: DID_YOU_MEAN, twice: message`Keep one mapping per field.` },
  },
  EDA5005: {
    name: "mapping-unknown-source", severity: "error", stage: "resolve",
    messages: {
      default: message`\`${"event"}\` has no field \`${"field"}\`.`,
      noTrigger: message`The triggering event has no field \`${"field"}\`.`,
      notAwaited: message`I cannot read \`${"source"}\` here: \`${"event"}\` is not awaited before this point.`,
      onFail: message`I cannot read \`${"source"}\` here: \`${"event"}\` may not have happened when the workflow fails.`,
      compensateAlways: message`I cannot read \`${"source"}\` here: \`${"event"}\` is not awaited before this step, and a \`compensate always\` may run before its step's own event arrives.`,
    },
    hints: {
      default: message`Name a field of the triggering event, \`EventName.field\` of an event awaited earlier, or a literal.`,
      guess: DID_YOU_MEAN,
      fields: message`Its fields are ${"fields"}.`,
      eventGuess: message`Did you mean \`${"event"}.${"guess"}\`?`,
      notAwaited: message`Events readable here: ${"events"}.`,
      onFail: message`Events readable here: ${"events"}.`,
      compensateAlways: message`Events readable here: ${"events"}.`,
    },
  },
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
  EDA5008: {
    name: "missing-start", severity: "error", stage: "resolve",
    messages: { default: message`The workflow \`${"workflow"}\` does not say which event starts it.` },
    hints: { default: message`Add \`start on EventName\`.` },
  },
  EDA5009: {
    name: "missing-correlation", severity: "error", stage: "resolve",
    messages: { default: message`The workflow \`${"workflow"}\` does not say which field ties its messages together.` },
    hints: { default: message`Add \`correlate fieldName\`, a field that the start event and every awaited event carry.` },
  },
  EDA5010: {
    name: "correlation-field-missing", severity: "error", stage: "resolve",
    messages: { default: message`\`${"event"}\` has no field \`${"field"}\`, so I cannot tell which workflow instance it belongs to.` },
    hints: { default: message`Add \`${"field"}\` to \`${"event"}\`, or correlate on a field it carries.`, guess: DID_YOU_MEAN },
  },
  EDA5011: {
    name: "duplicate-step", severity: "error", stage: "resolve",
    messages: { default: message`There is already a step named \`${"step"}\`.` },
    hints: { default: message`Give each step its own name.` },
  },
  EDA5012: {
    name: "incomplete-step", severity: "error", stage: "resolve",
    messages: {
      default: message`The step \`${"step"}\` has no \`send\` and no \`await\`.`,
      noSend: message`The step \`${"step"}\` has no \`send\`.`,
      noAwait: message`The step \`${"step"}\` has no \`await\`.`,
    },
    hints: { default: message`Each step sends a command and awaits the event that says it succeeded.` },
  },
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
  EDA5016: {
    name: "invalid-retry", severity: "error", stage: "resolve",
    messages: { default: message`\`retry ${"count"} every ${"every"}\` is not a usable retry policy.` },
    hints: { default: message`Retry a whole number of times, at least once, with a delay above zero: \`retry 3 every 2s\`.` },
  },
  EDA5017: {
    name: "empty-workflow", severity: "error", stage: "resolve",
    messages: { default: message`The workflow \`${"workflow"}\` has no steps.`, rules: message`The workflow \`${"workflow"}\` has no rules.` },
    hints: { default: message`Add steps: \`step name { send Command; await Event }\`.`, rules: message`Add rules: \`on Event send Command\`.` },
  },
  EDA5018: {
    name: "invalid-timeout", severity: "error", stage: "resolve",
    messages: { default: message`\`timeout ${"timeout"}\` would fail every run at once.` },
    hints: { default: message`Give the workflow a timeout above zero, like \`timeout 30m\`, or remove it.` },
  },
} as const satisfies Record<string, CodeInfo>;
