/**
 * No model text becomes code. Models whose every free-text position — docs, string defaults,
 * decorator arguments, patterns, upcast and mapping literals, file names — holds hostile text
 * (comment ends, every kind of line break, `${`, backticks, quotes, backslashes, NUL, lone
 * surrogates) generate code with exactly the declarations of the same model with plain text: the
 * syntax trees agree once string contents are set aside. A sample is compiled by tsc, strict.
 *
 * `EDA_PROPERTY_RUNS` runs it longer (CI runs 1,500 models), `EDA_PROPERTY_SEED` varies it.
 */
import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import ts from "typescript";
import { compile, renderDiagnostics, type SourceFile } from "@eda/language";
import { generate, scaffold } from "@eda/generator";
import { describe, expect, it } from "vitest";
import { hostileModel, type FreeText } from "./model.js";

const RUNS = Number(process.env["EDA_PROPERTY_RUNS"] ?? 1500);
const SEED = Number(process.env["EDA_PROPERTY_SEED"] ?? 9);
/** Models of the run that tsc compiles, evenly spread. */
const COMPILED = 12;

const here = import.meta.dirname;
const run = promisify(execFile);
const tsc = join(here, "../../node_modules/typescript/bin/tsc");

/** Pieces that have broken out of comments, strings and lines in generators before. */
const NASTY = ["*/", "/*", "//", "\n", "\r", "\r\n", "\u2028", "\u2029", "\u0085", "${", "`", '"', "'", "\\", "\0", "\uD800", "\uDFFF", "</script>", "-->", "%%", "#", "|", "@", "{{", "}}", " * ", "\t"];
const piece = fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: "binary", maxLength: 6 }));
const hostile = fc.array(piece, { maxLength: 8 }).map((ps) => ps.join(""));
/** Doc comments run to the end of their line, so they hold no `\n` or `\r`. */
const docLine = hostile.map((s) => s.replace(/[\r\n]/g, " "));
/** A file name: anything but a folder separator or NUL. */
const fileName = hostile.map((s) => s.replace(/[/\\\0]/g, "_"));

const freeText: fc.Arbitrary<FreeText> = fc.record({ doc: docLine, text: hostile, file: fileName });
const PLAIN: FreeText = { doc: "A note.", text: "plain", file: "probe" };

function generated(files: readonly SourceFile[]): { path: string; content: string }[] {
  const { model, diagnostics } = compile(files);
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(renderDiagnostics(errors, new Map(files.map((f) => [f.path, f.text]))));
  return [...generate(model), ...scaffold(model, { generatedFromHandlers: "../generated" }).map((f) => ({ path: `handlers/${f.path}`, content: f.content }))];
}

/**
 * A file's shape with the contents of strings, and comments, left out: TypeScript as its syntax
 * tree (node kinds and identifiers), JSON as its structure, Mermaid as its lines without labels.
 */
function skeleton(path: string, content: string): string {
  // A doc that is empty or blank gives no `description`: that is the text's absence, not its shape.
  if (path.endsWith(".json")) return JSON.stringify(JSON.parse(content), (key, v: unknown) => (key === "description" ? undefined : typeof v === "string" ? "S" : v));
  if (path.endsWith(".mmd")) return content.split("\n").slice(1).map((l) => l.replace(/"[^"]*"/g, '"S"')).join("\n");
  const file = ts.createSourceFile(path, content, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const errors = (file as unknown as { parseDiagnostics: readonly ts.Diagnostic[] }).parseDiagnostics;
  if (errors.length > 0) return `parse errors: ${errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, " ")).join("; ")}`;
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isRegularExpressionLiteral(n)) out.push("S");
    else if (ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) out.push(`T${ts.SyntaxKind[n.kind]}`);
    else if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) out.push(n.text);
    else out.push(ts.SyntaxKind[n.kind] as string);
    ts.forEachChild(n, visit);
    out.push(")");
  };
  visit(file);
  return out.join(" ");
}

function shapes(files: readonly { path: string; content: string }[]): Map<string, string> {
  return new Map(files.map((f) => [f.path, skeleton(f.path, f.content)]));
}

function write(dir: string, files: readonly { path: string; content: string }[]): void {
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
}

describe("hostile text in every free-text position of a model", () => {
  it("changes no declaration of the generated code, which compiles strict", async () => {
    const plain = shapes(generated(hostileModel(PLAIN)));
    const out = join(here, "out");
    rmSync(out, { recursive: true, force: true });
    let n = 0;
    fc.assert(
      fc.property(freeText, (text) => {
        const files = generated(hostileModel(text));
        const got = shapes(files);
        expect([...got.keys()]).toEqual([...plain.keys()]);
        for (const [path, shape] of got) expect(shape, `${path} with ${JSON.stringify(text)}`).toBe(plain.get(path));
        if (n++ % Math.ceil(RUNS / COMPILED) === 0) write(join(out, `m${n}`), files.map((f) => (f.path.startsWith("handlers/") ? f : { ...f, path: `generated/${f.path}` })));
      }),
      { numRuns: RUNS, seed: SEED },
    );
    const result = await run(process.execPath, [tsc, "-p", here], { maxBuffer: 16 << 20 }).catch((e: { stdout: string }) => e);
    expect("stdout" in result ? result.stdout : "").toBe("");
  }, 600_000);
});
