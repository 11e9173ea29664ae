/**
 * Declaration names that clash with identifiers the generated code declares, imports or uses
 * (`z`, `PATTERN_1`, `unhandled`, `reject`, helper and namespace names, derived names like
 * `OrderPlacedMessage`) never break the output: every such name, declared in every context of
 * the shop, either gives generated code that compiles strict or is refused by the checker with a
 * hint (the JavaScript globals it relies on).
 */
import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { createParser, compile, type SourceFile } from "@eda/language";
import { generate, scaffold } from "@eda/generator";
import { describe, expect, it } from "vitest";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

const run = promisify(execFile);
const here = import.meta.dirname;
const tsc = join(here, "../../node_modules/typescript/bin/tsc");
const SHOP = join(here, "../../examples/shop");

function shopFiles(): SourceFile[] {
  return readdirSync(SHOP)
    .filter((f) => f.endsWith(".eda"))
    .sort()
    .map((f) => ({ path: f, text: readFileSync(join(SHOP, f), "utf8") }));
}

/** Every identifier of the generated TypeScript that is not a property name. */
function identifiersOf(files: readonly { path: string; content: string }[]): Set<string> {
  const names = new Set<string>();
  const visit = (n: ts.Node): void => {
    const p = n.parent;
    const isMember =
      p !== undefined &&
      ((ts.isPropertyAccessExpression(p) && p.name === n) ||
        (ts.isQualifiedName(p) && p.right === n) ||
        ((ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p) || ts.isMethodSignature(p) || ts.isGetAccessorDeclaration(p)) && p.name === n));
    if (ts.isIdentifier(n) && !isMember) names.add(n.text);
    ts.forEachChild(n, visit);
  };
  for (const f of files.filter((x) => x.path.endsWith(".ts"))) visit(ts.createSourceFile(f.path, f.content, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS));
  return names;
}

function write(dir: string, files: readonly { path: string; content: string }[]): void {
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
}

describe("declaration names that the generated code uses", () => {
  it("never give a tsc error: every context of the shop declares all of them", { timeout: 300_000 }, async () => {
    const base = shopFiles();
    const { model } = compile(base, { parser });
    const declared = new Set(model.contexts.flatMap((c) => [c.name, ...[...c.types, ...c.enums, ...c.commands, ...c.events, ...c.aggregates, ...c.services, ...c.projections, ...c.workflows].map((d) => d.name)]));
    const used = [...identifiersOf(generate(model))].filter((n) => !declared.has(n) && /^[A-Za-z][A-Za-z0-9_]*$/.test(n)).sort();
    expect(used).toEqual(expect.arrayContaining(["z", "unhandled", "Decider", "OrderingSchemas", "OrderPlacedMessage", "codecTable"]));
    // Each name, as a type in every context; the ones the checker refuses are reported, not generated.
    const withClashes = (names: readonly string[]): SourceFile[] => [
      ...base,
      // Each refers to the one before, so references to renamed declarations are compiled too.
      ...model.contexts.map((c) => ({ path: `clash-${c.name}.eda`, text: `context ${c.name}\n\n${names.map((n, i) => `type ${n} { x: int${i > 0 ? `, prev?: ${names[i - 1]}` : ""} }`).join("\n")}\n` })),
    ];
    const refused = new Set(compile(withClashes(used), { parser }).diagnostics.filter((d) => d.severity === "error").map((d) => /`([^`]+)`/.exec(d.message)?.[1] ?? d.message));
    const names = used.filter((n) => !refused.has(n));
    const { model: clashing, diagnostics } = compile(withClashes(names), { parser });
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(names.length).toBeGreaterThan(100);

    // A folder of its own (hostile-text.test.ts empties out/ as it runs), compiled with this folder's settings.
    const out = join(here, ".out", "clashes");
    rmSync(out, { recursive: true, force: true });
    write(join(out, "generated"), generate(clashing));
    write(join(out, "handlers"), scaffold(clashing, { generatedFromHandlers: "../generated" }));
    writeFileSync(join(out, "tsconfig.json"), JSON.stringify({ extends: "../../tsconfig.json", include: ["generated", "handlers"] }));
    const result = await run(process.execPath, [tsc, "-p", out], { maxBuffer: 16 << 20 }).catch((e: { stdout: string }) => e);
    const errors = "stdout" in result ? result.stdout : "";
    expect(errors).toBe("");
  });
});

describe("a declaration named like a schema module's own identifier", () => {
  it("is declared under a free name and exported under its own", () => {
    const { model, diagnostics } = compile([{ path: "a.eda", text: 'context A\n\ntype z { x: int }\ntype PATTERN_1 { s: string @pattern("^a$") }\nevent DECIMAL { d: decimal @min(1) }\n' }], { parser });
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const schemas = generate(model).find((f) => f.path === "a/schemas.ts")?.content ?? "";
    expect(schemas).toContain('import { z } from "zod";');
    expect(schemas).toContain("\nconst z_ = z.object({");
    expect(schemas).toContain("\nconst DECIMAL_ = DECIMALV1;");
    expect(schemas).toMatch(/export \{ z_ as z, PATTERN_1_ as PATTERN_1, DECIMAL_ as DECIMAL \};/);
    expect(schemas).toContain("data: DECIMAL_,");
    expect(schemas).toContain("export const DECIMALV1 = z.object({");
  });
});
