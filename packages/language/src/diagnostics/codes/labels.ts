/**
 * The notes of labels — a diagnostic's second places to look — by name, as templates like the
 * messages'; `label(span, name, data)` in `diagnostic.ts` fills one.
 */
import { message } from "../message.js";

export const LABELS = {
  declared: message`declared here`,
  declaredAs: message`\`${"name"}\` is declared here`,
  firstDeclared: message`first declared here`,
  firstListed: message`first listed here`,
  firstWritten: message`first written here`,
  firstOne: message`the first one`,
  firstRule: message`the first rule`,
  otherUpcast: message`the other upcast`,
  otherHandler: message`the other handler`,
  emittedBy: message`emitted by \`${"owner"}\` here`,
  emitsOnly: message`\`${"owner"}\` emits only ${"events"}`,
  unclosedBrace: message`this \`{\` is never closed`,
  key: message`the key is declared here`,
  streamField: message`the stream field is named here`,
  declaresIt: message`\`${"owner"}\` declares it here`,
  noDefault: message`no default here`,
  deprecated: message`deprecated here`,
  correlation: message`the workflow correlates on this field`,
  stepNeverCompletes: message`this step never completes`,
  cycle: message`part of the cycle`,
  subjectField: message`the subject field`,
  firstSubject: message`the first subject`,
  personalData: message`personal data of its subject, encrypted in the event`,
  encryptedIn: message`encrypted for its subject in \`v${"version"}\``,
  baselineDeclared: message`declared here in the baseline`,
  asInBaseline: message`as it was in the baseline`,
  asInBaselineVersion: message`as it was in the baseline's \`${"event"} v${"version"}\``,
  asInBaselineUpcast: message`as it was in the baseline's upcast of \`${"event"} v${"version"}\``,
  manifest: message`listed here in the manifest`,
};
