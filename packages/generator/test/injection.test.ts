/**
 * No injection: arbitrary text in doc comments, string defaults and patterns reaches the
 * generated TypeScript and JSON intact, and the output still parses.
 */
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { generateFrom } from "./support.js";

/** A `.eda` string literal that reads back as `value`. */
function edaString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) out += `\\u{${code.toString(16)}}`;
    else out += ch;
  }
  return out + '"';
}

/** A regular expression that matches `text` literally. */
function literalPattern(text: string): string {
  return "^" + text.replace(/[\\^$.*+?()[\]{}|/]/g, (c) => `\\${c}`) + "$";
}

function model(doc: string, value: string, pattern: string): string {
  return [
    "context Probe",
    `/// ${doc}`,
    "type Note {",
    `  /// ${doc}`,
    `  text: string = ${edaString(value)}`,
    `  code?: string @pattern(${edaString(pattern)})`,
    "}",
  ].join("\n");
}

function stringsIn(source: string): { strings: string[]; comments: string[]; errors: number } {
  const file = ts.createSourceFile("x.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const strings: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteral(n)) strings.push(n.text);
    ts.forEachChild(n, visit);
  };
  visit(file);
  const comments = [...source.matchAll(/\/\*\*([\s\S]*?)\*\//g)].map((m) => m[1] as string);
  const errors = (file as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length;
  return { strings, comments, errors };
}

// Doc comments run to the end of their line; any other character may appear.
const line = fc.string({ unit: "grapheme", maxLength: 40 }).map((s) => s.replace(/[\r\n\u2028\u2029\u0085]/g, " ").trim());
const text = fc.string({ unit: "grapheme", maxLength: 40 });

describe("model strings in generated code", () => {
  it("arrive intact and cannot break out of their context", () => {
    fc.assert(
      fc.property(line, text, text, (doc, value, raw) => {
        const pattern = literalPattern(raw);
        const files = generateFrom([{ path: "probe.eda", text: model(doc, value, pattern) }]);
        const schemas = files.find((f) => f.path === "probe/schemas.ts")?.content ?? "";
        const found = stringsIn(schemas);
        expect(found.errors).toBe(0);
        expect(found.strings).toContain(value);
        expect(found.strings).toContain(pattern);
        if (doc !== "") expect(found.comments.some((c) => c.replace(/\*\\\//g, "*/").includes(doc.replace(/\s+$/, "")))).toBe(true);
        expect(new RegExp(pattern, "u").test(raw)).toBe(true);
        for (const json of files.filter((f) => f.path.endsWith(".json"))) JSON.parse(json.content);
      }),
      { numRuns: 200 },
    );
  });
});
