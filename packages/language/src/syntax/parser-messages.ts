/** Plain-words error messages for Chevrotain's parse errors. */
import { EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";

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
  version: "this version",
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

function within(ruleName: string): string {
  const what = RULE_WHAT[ruleName];
  return what ? ` in ${what}` : "";
}

export const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    return `I expected ${label(expected)}${within(ruleName)}, but found ${describeToken(actual)}.`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `I did not expect ${describeToken(firstRedundant)} here: a declaration (\`type\`, \`command\`, \`event\`, \`aggregate\` …) should start here.`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const firsts = expectedPathsPerAlt.flatMap((paths) => paths.map((p) => p[0]).filter((t): t is TokenType => t !== undefined));
    return `I expected ${oneOf(firsts)}${within(ruleName)}, but found ${describeToken(actual[0] as IToken)}.`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const firsts = expectedIterationPaths.map((p) => p[0]).filter((t): t is TokenType => t !== undefined);
    return `I expected at least one ${oneOf(firsts)}${within(ruleName)}, but found ${describeToken(actual[0] as IToken)}.`;
  },
};
