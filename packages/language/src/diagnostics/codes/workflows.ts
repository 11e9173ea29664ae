/** The catalogue's codes of workflows (EDA5xxx). */
import { message } from "../message.js";
import type { CodeInfo } from "./info.js";

export const WORKFLOWS_CODES = {
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
} as const satisfies Record<string, CodeInfo>;
