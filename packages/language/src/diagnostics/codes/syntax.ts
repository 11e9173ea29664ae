/** The catalogue's codes of syntax (EDA1xxx): the lexer, the parser and doc comments. */
import type { CodeInfo } from "./info.js";

export const SYNTAX_CODES = {
  EDA1001: { name: "unexpected-character", severity: "error", stage: "syntax" },
  EDA1002: { name: "unterminated-string", severity: "error", stage: "syntax" },
  EDA1003: { name: "unterminated-comment", severity: "error", stage: "syntax" },
  EDA1004: { name: "expected-token", severity: "error", stage: "syntax" },
  EDA1005: { name: "unexpected-token", severity: "error", stage: "syntax" },
  EDA1006: { name: "missing-context", severity: "error", stage: "syntax" },
  EDA1007: { name: "invalid-version", severity: "error", stage: "syntax" },
  EDA1008: { name: "invalid-number", severity: "error", stage: "syntax" },
  EDA1009: { name: "invalid-escape", severity: "error", stage: "syntax" },
  EDA1010: { name: "duplicate-clause", severity: "error", stage: "syntax" },
  EDA1011: { name: "clause-not-allowed", severity: "error", stage: "syntax" },
  EDA1012: { name: "orphan-doc-comment", severity: "warning", stage: "syntax" },
  EDA1013: { name: "nesting-too-deep", severity: "error", stage: "syntax" },
  EDA1014: { name: "too-many-problems", severity: "error", stage: "syntax" },
} as const satisfies Record<string, CodeInfo>;
