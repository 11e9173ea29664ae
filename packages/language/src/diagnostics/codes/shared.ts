/** Wording more than one group of the catalogue uses. */
import { message } from "../message.js";

/** The hint for a name close to one the model has. */
export const DID_YOU_MEAN = message`Did you mean \`${"guess"}\`?`;

/** A name of the wrong kind (EDA2006, and EDA5001 in workflows). */
export const WRONG_KIND = {
  messages: { default: message`\`${"path"}\` is ${"kind"}, but ${"role"} I need ${"want"}.` },
  hints: {
    default: message`Name ${"want"} here.`,
    command: message`Commands ask for an action and events record that it happened: name a command here.`,
    event: message`Commands ask for an action and events record that it happened: name an event here.`,
  },
} as const;

/**
 * A literal that cannot fill its field (EDA2101 for a default, EDA5003 for a workflow's
 * mapping): messages by what is wrong, and hints by the field's type.
 */
export const LITERAL = {
  messages: {
    default: message`\`${"literal"}\` is ${"literalKind"}, which cannot fill a field of type \`${"type"}\`.`,
    decimalNotation: message`\`${"literal"}\` is not in plain notation, as decimals are stored.`,
    notWhole: message`\`${"literal"}\` is not a whole number, but this field is an \`int\`.`,
    format: message`\`${"literal"}\` is not a valid \`${"format"}\`.`,
    notMember: message`\`${"member"}\` is not a member of enum \`${"enum"}\`.`,
  },
  hints: {
    default: message`Use a literal of the field's type.`,
    decimalNotation: message`Write it with digits and a point, like \`1000\` or \`"0.0001"\`.`,
    notWhole: message`Use a whole number, or make the field a \`float\` or \`decimal\`.`,
    format: message`Write it like ${"example"}.`,
    notMember: message`The members of \`${"enum"}\` are ${"members"}.`,
    list: message`A list can default to \`[]\`.`,
    enum: message`Use one of the members of \`${"enum"}\`.`,
    map: message`A map can default to \`{}\`.`,
    valueType: message`A value type can default to \`{}\` when each of its required fields has a default.`,
    number: message`Write a number, like \`0\`.`,
    bool: message`Write \`true\` or \`false\`.`,
    duration: message`Write a duration, like \`30m\`.`,
  },
} as const;
