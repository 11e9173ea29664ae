/** The catalogue's codes of syntax (EDA1xxx): the lexer, the parser and doc comments. */
import { message } from "../message.js";
import type { CodeInfo } from "./info.js";

/**
 * The hints of a parse error (EDA1004, EDA1005), named by what the parser met: a misspelt
 * keyword, a habit of another language, or else the rule it was in.
 */
const PARSE_HINTS = {
  keyword: message`Did you mean the keyword \`${"guess"}\`?`,
  enumValue: message`Enum members carry no values: write just the name (\`Open\`); the name is what travels and is stored.`,
  rejectsComma: message`A handler that may refuse for several reasons joins them with \`|\`: \`rejects OutOfStock | CartClosed\`.`,
  emitsComma: message`A handler that may emit several events joins them with \`|\`: \`emits OrderPlaced | OrderRejected\`.`,
  clauseColon: message`\`${"clause"}\` takes the field's name without a colon: \`${"clause"} ${"name"}\`.`,
  optionalAfterType: message`An optional field has its \`?\` after the name: \`${"name"}?: ${"type"}\`.`,
  keyType: message`A projection's key is a field with its type, as in \`key ${"name"}: uuid\`.`,
  field: message`Fields are written \`name: Type\`, one per line or separated by commas.`,
  upcast: message`An upcast names the version it reads and the one it makes: \`upcast OrderPlaced v1 -> v2 { … }\`.`,
  workflow: message`A workflow is \`workflow Name orchestrated { … }\` or \`workflow Name choreographed { … }\`.`,
  declaration: message`Each declaration starts with \`type\`, \`enum\`, \`command\`, \`event\`, \`upcast\`, \`aggregate\`, \`service\`, \`projection\` or \`workflow\`.`,
  reference: message`Check the declaration against the language reference (grammar/LANGUAGE.md).`,
};

export const SYNTAX_CODES = {
  EDA1001: {
    name: "unexpected-character", severity: "error", stage: "syntax",
    messages: {
      default: message`I do not recognise the character \`${"chars"}\` here.`,
      many: message`I do not recognise the characters \`${"chars"}\` here.`,
      singleQuote: message`\`${"text"}\` is in single quotes, and strings are written in double quotes.`,
      name: message`I cannot read \`${"name"}\` as a name: names are written in ASCII, and it has ${"chars"}.`,
    },
    hints: {
      default: message`Names use letters, digits and \`_\`; strings are written in double quotes.`,
      singleQuote: message`Write \`${"replacement"}\`.`,
      name: message`Names use \`A\`–\`Z\`, \`a\`–\`z\`, digits and \`_\`; other scripts are fine in strings and comments.`,
      nameSpelling: message`Names use \`A\`–\`Z\`, \`a\`–\`z\`, digits and \`_\` (\`${"ascii"}\`, say); other scripts are fine in strings and comments.`,
    },
  },
  EDA1002: {
    name: "unterminated-string", severity: "error", stage: "syntax",
    messages: { default: message`This string is never closed on its line.` },
    hints: { default: message`End it with \`"\`; write a line break inside a string as \`\\n\`.` },
  },
  EDA1003: {
    name: "unterminated-comment", severity: "error", stage: "syntax",
    messages: { default: message`This block comment is never closed.` },
    hints: { default: message`Close it with \`*/\`.` },
  },
  EDA1004: {
    name: "expected-token", severity: "error", stage: "syntax",
    messages: {
      default: message`I expected ${"expected"}, but found ${"found"}.`,
      within: message`I expected ${"expected"} in ${"what"}, but found ${"found"}.`,
      unclosed: message`I expected \`}\` to close, but the declaration ends here.`,
      unclosedDeclaration: message`I expected \`}\` to close \`${"keyword"} ${"name"}\`, but the declaration ends here.`,
    },
    hints: { ...PARSE_HINTS, unclosed: message`Add the missing \`}\`.`, unclosedDeclaration: message`Add the missing \`}\`.` },
  },
  EDA1005: {
    name: "unexpected-token", severity: "error", stage: "syntax",
    messages: {
      default: message`I expected ${"expected"}, but found ${"found"}.`,
      within: message`I expected ${"expected"} in ${"what"}, but found ${"found"}.`,
      atLeastOne: message`I expected at least one ${"expected"}, but found ${"found"}.`,
      atLeastOneWithin: message`I expected at least one ${"expected"} in ${"what"}, but found ${"found"}.`,
      notAllParsed: message`I did not expect ${"found"} here: a declaration (\`type\`, \`command\`, \`event\`, \`aggregate\` …) should start here.`,
    },
    hints: PARSE_HINTS,
  },
  EDA1006: {
    name: "missing-context", severity: "error", stage: "syntax",
    messages: { default: message`This file does not say which context it belongs to.`, notFirst: message`\`context\` must be the first line of the file.` },
    hints: { default: message`Start the file with \`context Name\`.`, notFirst: message`Move it above every \`use\` and declaration.` },
  },
  EDA1007: {
    name: "invalid-version", severity: "error", stage: "syntax",
    messages: { default: message`\`${"version"}\` is not a valid version: versions count from \`v1\`.` },
    hints: { default: message`Write versions as \`v1\`, \`v2\`, … without leading zeros.` },
  },
  EDA1008: {
    name: "invalid-number", severity: "error", stage: "syntax",
    messages: { default: message`\`${"number"}\` is too large to be a number.`, integer: message`\`${"number"}\` is too large to be an exact whole number.` },
    hints: { default: message`Numbers must be finite double-precision values.`, integer: message`Whole numbers must lie within ±${"max"}.` },
  },
  EDA1009: {
    name: "invalid-escape", severity: "error", stage: "syntax",
    messages: { default: message`\`${"escape"}\` is not an escape I know.` },
    hints: { default: message`Escapes are \`\\"\`, \`\\\\\`, \`\\/\`, \`\\n\`, \`\\t\`, \`\\r\`, \`\\b\`, \`\\f\`, \`\\0\`, \`\\uXXXX\` and \`\\u{…}\`; write a backslash as \`\\\\\`.` },
  },
  EDA1010: {
    name: "duplicate-clause", severity: "error", stage: "syntax",
    messages: {
      default: message`This ${"owner"} already has ${"clause"}.`,
      stream: message`This aggregate already names its stream field.`,
      context: message`This file already declares \`context ${"context"}\`.`,
    },
    hints: { default: message`Keep one; remove the other.`, context: message`A file belongs to one context; split it into two files.` },
  },
  EDA1011: {
    name: "clause-not-allowed", severity: "error", stage: "syntax",
    messages: {
      default: message`\`${"clause"}\` belongs in an orchestrated workflow, but \`${"workflow"}\` is choreographed.`,
      choreographed: message`\`${"clause"}\` belongs in a choreographed workflow, but \`${"workflow"}\` is orchestrated.`,
    },
    hints: {
      default: message`Choreographed workflows hold only \`on Event send Command\` rules; use \`orchestrated\` for steps.`,
      choreographed: message`Orchestrated workflows hold \`start on\`, \`correlate\`, \`timeout\`, \`step\`s and \`on complete\`/\`on fail\`.`,
    },
  },
  EDA1012: {
    name: "orphan-doc-comment", severity: "warning", stage: "syntax",
    messages: { default: message`This doc comment does not document anything.`, trailing: message`This doc comment follows code on its line, so it does not document anything.` },
    hints: {
      default: message`Put \`///\` comments right above a declaration, field, enum member or step; use \`//\` for other comments.`,
      trailing: message`Put it on its own line right above the item it documents, or write \`//\` for a plain comment.`,
    },
  },
  EDA1013: {
    name: "nesting-too-deep", severity: "error", stage: "syntax",
    messages: { default: message`This type nests deeper than ${"max"} levels, so I stop reading its declaration here.` },
    hints: { default: message`Name the inner parts with \`type\` declarations; each \`map<…>\` and each \`[]\` is a level.` },
  },
  EDA1014: {
    name: "too-many-problems", severity: "error", stage: "syntax",
    messages: { default: message`This file has ${"what"} from here on; I show only the first ${"max"}.` },
    hints: { default: message`Fix the first problems and check again: later ones often follow from them.` },
  },
  EDA1015: {
    name: "bidi-control", severity: "warning", stage: "syntax",
    messages: { default: message`This text holds the invisible bidirectional control ${"code"}, which makes the rest of the line display in another order than it reads.` },
    hints: { default: message`Remove it; a string that needs it can hold it as an escape: \`\\u{${"hex"}}\`.` },
  },
} as const satisfies Record<string, CodeInfo>;
