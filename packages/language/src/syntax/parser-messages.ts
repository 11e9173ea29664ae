/** Plain-words error messages for Chevrotain's parse errors, worded by the catalogue. */
import { EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
import { CODES } from "../diagnostics/codes/index.js";
import type { MessageTemplate } from "../diagnostics/message.js";
import * as T from "./tokens.js";

const RULE_WHAT: Record<string, string> = {
  contextClause: "the `context` line",
  useClause: "this `use` line",
  typeDecl: "this type",
  enumDecl: "this enum",
  commandDecl: "this command",
  eventDecl: "this event",
  upcastDecl: "this upcast",
  upcastRule: "this upcast rule",
  aggregateDecl: "this aggregate",
  serviceDecl: "this service",
  projectionDecl: "this projection",
  workflowDecl: "this workflow",
  workflowClause: "this workflow",
  step: "this step",
  fieldBlock: "this list of fields",
  field: "this field",
  typeRef: "this type",
  decorator: "this decorator",
  literal: "this value",
  mapping: "this mapping",
  handler: "this handler",
  send: "this `send`",
  // A version is required only in an upcast (an event's is optional).
  version: "this upcast",
  path: "this name",
};

/** How a token reads in a message: `}`, a name, the end of the file. */
export function describeToken(t: IToken): string {
  if (t.tokenType === EOF) return "the end of the declaration";
  return `\`${t.image.length > 40 ? t.image.slice(0, 40) + "…" : t.image}\``;
}

function label(t: TokenType): string {
  return t.LABEL ?? t.name;
}

function oneOf(types: readonly TokenType[]): string {
  const labels = [...new Set(types.map(label))];
  if (labels.length === 1) return labels[0] as string;
  if (labels.length <= 6) return `${labels.slice(0, -1).join(", ")} or ${labels[labels.length - 1]}`;
  return `${labels.slice(0, 5).join(", ")} or another of ${labels.length} choices`;
}

/**
 * Chevrotain asks for each parse error's message as a string; the wording is the catalogue's
 * (EDA1004 for a missing token, EDA1005 for the others), filled here with what the parser met.
 */
export const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    return expect(CODES.EDA1004.messages, label(expected), actual, ruleName);
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return CODES.EDA1005.messages.notAllParsed.format({ found: describeToken(firstRedundant) });
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const firsts = expectedPathsPerAlt.flatMap((paths) => paths.map((p) => p[0]).filter((t): t is TokenType => t !== undefined));
    return expect(CODES.EDA1005.messages, oneOf(firsts), actual[0] as IToken, ruleName);
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const firsts = expectedIterationPaths.map((p) => p[0]).filter((t): t is TokenType => t !== undefined);
    const { atLeastOne, atLeastOneWithin } = CODES.EDA1005.messages;
    return expect({ default: atLeastOne, within: atLeastOneWithin }, oneOf(firsts), actual[0] as IToken, ruleName);
  },
};

/**
 * True when a parse error's message says a `}` was expected — the one error `parse-file.ts`
 * repairs by closing the declaration. Read from the catalogue's EDA1004 wording, not retyped.
 */
export function expectsClosingBrace(message: string): boolean {
  // Both the plain and the "in this …" wording begin "I expected <token>".
  return message.startsWith(`${CODES.EDA1004.messages.default.parts[0] ?? ""}${label(T.RCurly)}`);
}

type ExpectTemplates = { readonly default: MessageTemplate<"expected" | "found">; readonly within: MessageTemplate<"expected" | "found" | "what"> };

/** "I expected … [in this field], but found …", with the rule's noun when it has one. */
function expect(templates: ExpectTemplates, expected: string, actual: IToken, ruleName: string): string {
  const what = RULE_WHAT[ruleName];
  const found = describeToken(actual);
  return what ? templates.within.format({ expected, what, found }) : templates.default.format({ expected, found });
}
