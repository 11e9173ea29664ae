/** The catalogue's codes of names and types (EDA2xxx). */
import { message } from "../message.js";
import type { CodeInfo } from "./info.js";
import { DID_YOU_MEAN, LITERAL, WRONG_KIND } from "./shared.js";

export const NAMES_CODES = {
  EDA2001: {
    name: "unknown-name", severity: "error", stage: "resolve",
    messages: {
      default: message`I cannot find ${"what"} named \`${"name"}\`.`,
      inContext: message`I cannot find ${"what"} named \`${"name"}\` in context \`${"context"}\`.`,
      path: message`\`${"path"}\` is not a name I can look up: write \`Name\` or \`Context.Name\`.`,
    },
    hints: {
      default: message`Declare it, or check the spelling.`,
      guess: DID_YOU_MEAN,
      elsewhere: message`\`${"name"}\` is declared in context \`${"elsewhere"}\`: write \`${"elsewhere"}.${"name"}\` or add \`use ${"elsewhere"}\` at the top of the file.`,
      builtinAlias: message`The built-in type is written \`${"alias"}\`.`,
      builtinGuess: message`Did you mean the built-in type \`${"guess"}\`?`,
    },
  },
  EDA2002: {
    name: "ambiguous-name", severity: "error", stage: "resolve",
    messages: { default: message`\`${"name"}\` could mean ${"candidates"}.` },
    hints: { default: message`Write the context in front: \`${"context"}.${"name"}\`.` },
  },
  EDA2003: {
    name: "duplicate-declaration", severity: "error", stage: "resolve",
    messages: { default: message`\`${"name"}\` is already declared in context \`${"context"}\`.` },
    hints: {
      default: message`Names are unique within a context; rename one of them.`,
      event: message`Give events, commands and other declarations distinct names; versions of one event are written \`event Name v2\`.`,
    },
  },
  EDA2004: {
    name: "duplicate-field", severity: "error", stage: "resolve",
    messages: { default: message`The field \`${"field"}\` is declared twice.` },
    hints: { default: message`Rename or remove one of them.` },
  },
  EDA2005: {
    name: "unknown-context", severity: "error", stage: "resolve",
    messages: { default: message`I cannot find a context named \`${"name"}\`.` },
    hints: {
      default: message`The contexts are: ${"contexts"}.`,
      guess: DID_YOU_MEAN,
      use: message`Each context is declared by a \`context Name\` line at the top of its files.`,
    },
  },
  EDA2006: { name: "wrong-kind", severity: "error", stage: "resolve", ...WRONG_KIND },
  EDA2007: {
    name: "duplicate-enum-member", severity: "error", stage: "resolve",
    messages: { default: message`\`${"member"}\` is already a member of \`${"enum"}\`.` },
    hints: { default: message`Remove the repeated member.` },
  },
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
  EDA2009: {
    name: "unused-use", severity: "warning", stage: "resolve",
    messages: { default: message`Nothing in this file uses a name from \`${"context"}\`.` },
    hints: { default: message`Remove \`${"context"}\` from the \`use\` line.` },
  },
  EDA2010: {
    name: "use-of-own-context", severity: "warning", stage: "resolve",
    messages: { default: message`This file is already in context \`${"context"}\`; it does not need to \`use\` it.` },
    hints: { default: message`Remove it from the \`use\` line.` },
  },
  EDA2011: {
    name: "recursive-type", severity: "error", stage: "check",
    messages: { default: message`\`${"type"}\` requires itself: ${"cycle"}, so no value of it can ever exist.` },
    hints: { default: message`Make one of the fields on the cycle optional or a list.` },
  },
  EDA2012: {
    name: "bad-type-arguments", severity: "error", stage: "resolve",
    messages: {
      default: message`\`${"type"}\` does not take type arguments; only \`map<string, T>\` does.`,
      mapArity: message`\`map\` takes two type arguments, a key and a value, but I found ${"count"}.`,
      mapKey: message`Map keys must be \`string\`, because maps travel as JSON objects.`,
      listWord: message`Lists are written with \`[]\` after the element type, not \`${"type"}<…>\`.`,
    },
    hints: {
      default: message`Write just \`${"type"}\`.`,
      mapArity: message`Write \`map<string, T>\`.`,
      mapKey: message`Write \`map<string, T>\`.`,
      listWord: message`Write \`${"element"}[]\`.`,
    },
  },
  EDA2013: {
    name: "empty-enum", severity: "error", stage: "resolve",
    messages: { default: message`The enum \`${"enum"}\` has no members.` },
    hints: { default: message`List its members: \`enum Name { A, B }\`.` },
  },
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
  EDA2017: {
    name: "file-name-too-long", severity: "error", stage: "check",
    messages: { default: message`The ${"what"} would be named \`${"file"}\`: ${"length"} characters, and file systems allow at most ${"max"}.` },
    hints: { default: message`Choose a shorter name.` },
  },
  EDA2101: {
    name: "default-type-mismatch", severity: "error", stage: "resolve",
    messages: { ...LITERAL.messages, emptyObject: message`\`{}\` cannot fill \`${"field"}\`: the field \`${"owner"}.${"missing"}\` has no default.` },
    hints: { ...LITERAL.hints, emptyObject: message`Give \`${"missing"}\` a default, or make it optional.` },
  },
  EDA2102: {
    name: "unknown-decorator", severity: "error", stage: "resolve",
    messages: { default: message`I do not know the decorator \`@${"name"}\`.` },
    hints: { default: message`The decorators are ${"decorators"}.`, guess: message`Did you mean \`@${"guess"}\`?` },
  },
  EDA2103: {
    name: "decorator-not-applicable", severity: "error", stage: "resolve",
    messages: { default: message`\`@${"name"}\` applies to ${"kinds"}, not to \`${"type"}\`.` },
    hints: { default: message`Remove it, or change the field's type.` },
  },
  EDA2104: {
    name: "decorator-bad-argument", severity: "error", stage: "resolve",
    messages: {
      default: message`\`@${"name"}\` takes exactly one argument.`,
      pii: message`\`@pii\` takes nothing, or the name of the field that names the data subject.`,
      deprecated: message`\`@deprecated\` takes one string: why the field is deprecated.`,
      pattern: message`\`@pattern\` takes a regular expression in a string.`,
      number: message`\`@${"name"}\` takes a number.`,
      count: message`\`@${"name"}\` takes a whole number of at least 0, not \`${"value"}\`.`,
      intBound: message`\`@${"name"}(${"value"})\` on an \`int\` field needs a whole number.`,
    },
    hints: {
      default: message`Write \`@${"name"}(${"example"})\`.`,
      pii: message`Write \`@pii\`, or \`@pii(customerId)\` to encrypt it under that customer's key.`,
      deprecated: message`Write \`@deprecated("use newField")\`.`,
      pattern: message`Write \`@pattern("^[A-Z]{2}$")\`.`,
      number: message`Write \`@${"name"}(1)\`.`,
      count: message`Write \`@${"name"}(1)\`.`,
      intBound: message`Write \`@${"name"}(${"rounded"})\`.`,
    },
  },
  EDA2105: {
    name: "invalid-pattern", severity: "error", stage: "resolve",
    messages: { default: message`This is not a valid regular expression: ${"reason"}.` },
    hints: { default: message`Patterns use JavaScript regular expression syntax (with the \`u\` flag).` },
  },
  EDA2106: {
    name: "contradictory-bounds", severity: "error", stage: "resolve",
    messages: { default: message`\`@${"hi"}(${"high"})\` is below \`@${"lo"}(${"low"})\`: no value can satisfy both.` },
    hints: { default: message`Swap or correct the bounds.` },
  },
  EDA2107: {
    name: "duplicate-decorator", severity: "error", stage: "resolve",
    messages: { default: message`\`@${"name"}\` is written twice on this field.` },
    hints: { default: message`Keep one.` },
  },
  EDA2108: {
    name: "default-violates-constraint", severity: "error", stage: "resolve",
    messages: {
      default: message`The default \`${"value"}\` is below \`@min(${"bound"})\`.`,
      aboveMax: message`The default \`${"value"}\` is above \`@max(${"bound"})\`.`,
      shorter: message`The default is shorter than \`@minLength(${"bound"})\`.`,
      longer: message`The default is longer than \`@maxLength(${"bound"})\`.`,
      pattern: message`The default does not match \`@pattern\`.`,
      fewerItems: message`The default \`[]\` has fewer items than \`@minItems(${"bound"})\`.`,
    },
    hints: { default: message`Change the value or the constraint.` },
  },
} as const satisfies Record<string, CodeInfo>;
