/** The catalogue's codes of conventions and pitfalls (EDA6xxx). */
import { message } from "../message.js";
import type { CodeInfo } from "./info.js";

export const CONVENTIONS_CODES = {
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
  EDA6007: {
    name: "pii-copied-in-clear", severity: "warning", stage: "check",
    messages: {
      default: message`\`${"command"}.${"field"}\` is filled from \`${"source"}\`, personal data of its subject (\`@pii(${"subject"})\`), but is not encrypted itself: the orchestrator queues the command in the store, where it stays in clear and \`eda forget\` does not reach it.`,
      otherSubject: message`\`${"command"}.${"field"}\` is filled from \`${"source"}\`, personal data of its subject (\`@pii(${"subject"})\`), but is encrypted for the subject in \`${"command"}.${"targetSubject"}\`, which is not filled from \`${"subject"}\`: \`eda forget\` of that subject does not reach the queued command.`,
    },
    hints: {
      default: message`Mark it \`@pii(…)\` with the command's own field holding the subject's id, filled from the event's, or send the id and read the data where it is needed.`,
    },
  },
} as const satisfies Record<string, CodeInfo>;
