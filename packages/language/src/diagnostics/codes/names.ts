/** The catalogue's codes of names and types (EDA2xxx). */
import { message } from "../message.js";
import type { CodeInfo } from "./info.js";

export const NAMES_CODES = {
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
} as const satisfies Record<string, CodeInfo>;
