/** The catalogue's codes of aggregates, services, projections and rejections (EDA4xxx). */
import { message } from "../message.js";
import type { CodeInfo } from "./info.js";
import { DID_YOU_MEAN } from "./shared.js";

/** The hint of the personal-data codes (EDA4015–4017). */
const PII_HINT = message`Key it by an id (\`customerId: uuid\`) and keep the personal data in a field of its own, which logs and traces redact.`;

export const AGGREGATES_CODES = {
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
    messages: {
      default: message`\`${"owner"}\` has no field \`${"field"}\`, the stream field of aggregate \`${"aggregate"}\`.`,
      none: message`No command or event of aggregate \`${"aggregate"}\` has a field \`${"field"}\`, its stream field.`,
    },
    hints: {
      default: message`Add \`${"field"}\` to \`${"owner"}\`.`,
      guess: message`\`${"owner"}\` has \`${"guess"}\`: did you mean \`stream ${"guess"}\`?`,
      noneGuess: message`They all have \`${"guess"}\`: did you mean \`stream ${"guess"}\`?`,
      none: message`Name the id field its commands and events share, or add \`${"field"}\` to each of them.`,
    },
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
    hints: {
      default: message`Give it a default (\`${"field"}: ${"type"} = ${"empty"}\`) or make it optional (\`${"field"}?: …\`).`,
      valueType: message`Give it a default (\`${"field"}: ${"type"} = {}\` (when each field of \`${"type"}\` has a default)) or make it optional (\`${"field"}?: …\`).`,
      variant: message`Give it a default (\`${"field"}: ${"type"} = ${"empty"}\`) or make it optional (\`${"field"}?: …\`). Or begin the state with a variant without fields: \`state Empty | ${"variantName"} { … }\`.`,
      variantValueType: message`Give it a default (\`${"field"}: ${"type"} = {}\` (when each field of \`${"type"}\` has a default)) or make it optional (\`${"field"}?: …\`). Or begin the state with a variant without fields: \`state Empty | ${"variantName"} { … }\`.`,
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
  EDA4018: {
    name: "pii-subject-unknown", severity: "error", stage: "check",
    messages: { default: message`\`${"owner"}\` has no field \`${"subject"}\` to name the data subject of \`${"field"}\`.` },
    hints: { default: message`Name one of its fields: ${"fields"}.`, noFields: message`Add the id of the person the data is about, e.g. \`customerId: uuid\`.` },
  },
  EDA4019: {
    name: "pii-subject-unusable", severity: "error", stage: "check",
    messages: {
      default: message`\`${"owner"}.${"subject"}\` cannot name the data subject of \`${"field"}\`: a subject is a \`uuid\`, \`string\` or \`int\`, not \`${"type"}\`.`,
      subjectPii: message`\`${"owner"}.${"subject"}\` cannot name the data subject of \`${"field"}\`: it is personal data itself (\`@pii\`), but the subject's id is stored in clear to find the key.`,
      subjectOptional: message`\`${"owner"}.${"subject"}\` cannot name the data subject of \`${"field"}\`: it is optional, and every event needs its subject to find the key.`,
      valueType: message`\`${"owner"}.${"field"}\` names a data subject, but \`${"owner"}\` is a value type: only event and command fields are encrypted per subject.`,
      stored: message`\`${"owner"}.${"field"}\` names a data subject, but it is ${"kind"}: only event and command fields are encrypted per subject, and ${"where"} as your code writes it.`,
      twoSubjects: message`\`${"owner"}\` names two data subjects, \`${"first"}\` and \`${"second"}\`: a message's personal data belongs to one subject.`,
      requiredValue: message`\`${"owner"}.${"field"}\` is a required \`${"type"}\`: once its subject is forgotten it would have no value to read as.`,
    },
    hints: {
      default: message`Name a required id field of the message, e.g. \`customerId: uuid\`.`,
      valueType: message`Write \`@pii\` here, or move the field onto the event that names the subject.`,
      state: message`Write \`@pii\` here (redacted in logs), and keep the value out of the state of an aggregate with \`snapshot every\`: a snapshot keeps it after \`eda forget\`.`,
      projection: message`Write \`@pii\` here (redacted in logs), and rebuild the projection after \`eda forget\` (\`eda projections rebuild\`), or keep the value out of its rows.`,
      rejection: message`Write \`@pii\` here (redacted in logs), or give the reason without the personal data.`,
      twoSubjects: message`Split the message, or name one subject on every field.`,
      requiredValue: message`Make it optional (\`?\`, read as absent once forgotten) or text (read as "[forgotten]").`,
    },
  },
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
  EDA4030: {
    name: "unknown-rejection", severity: "error", stage: "resolve",
    messages: { default: message`\`${"name"}\` is not a rejection of ${"kind"} \`${"owner"}\`.` },
    hints: { default: message`Declare it in ${"kind"} \`${"owner"}\`: \`rejections { ${"name"} { … } }\` (fields are optional).`, guess: DID_YOU_MEAN },
  },
  EDA4031: {
    name: "rejection-declared-twice", severity: "error", stage: "resolve",
    messages: { default: message`The rejection \`${"name"}\` is already declared here.` },
    hints: { default: message`Remove the repeated entry, or give it another name.` },
  },
  EDA4032: {
    name: "unused-rejection", severity: "warning", stage: "resolve",
    messages: { default: message`No handler of ${"kind"} \`${"owner"}\` rejects with \`${"name"}\`.` },
    hints: { default: message`Add \`rejects ${"name"}\` to the handler that refuses with it, or remove the entry.` },
  },
  EDA4033: {
    name: "rejection-reserved-field", severity: "error", stage: "resolve",
    messages: {
      default: message`The rejection \`${"name"}\` declares a field \`code\`, but every reason's \`code\` is the rejection's name (\`code: "${"name"}"\`).`,
      message: message`The rejection \`${"name"}\` declares a field \`message\`, but every reason's \`message\` is the reason's free text (\`reject({ code, message })\`).`,
    },
    hints: {
      default: message`Rename the field (\`errorCode\`, \`reasonCode\`): the rejection's name is its code.`,
      message: message`Rename the field (\`detail\`, \`explanation\`), or pass the text as \`message\` without declaring it.`,
    },
  },
} as const satisfies Record<string, CodeInfo>;
