/** Formatting: the whole document in `eda fmt`'s layout; refused (no edit) while it has syntax errors. */
import { formatSource } from "@eda/language";
import type { FormattingOptions, TextEdit } from "vscode-languageserver";
import type { Features } from "./features.js";

/** One edit replacing the document with its formatted text, or none when already formatted or unparsable. */
export function formatting(f: Features | undefined, _options: FormattingOptions): TextEdit[] | null {
  if (!f) return null;
  const text = f.snapshot.texts.get(f.key);
  if (text === undefined) return null;
  const result = formatSource({ path: f.key, text }, f.project.parser);
  if (!result.ok || result.text === text) return [];
  const lines = f.snapshot.lines(f.key);
  return [{ range: lines.range(0, text.length), newText: result.text }];
}
