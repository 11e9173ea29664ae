/**
 * The import rules' lists (`scripts/import-exceptions.cjs`) stay true: every emitter that
 * `generate.ts` or `scaffold` calls is under the rules, no emitter imports another, and every
 * allowed exception is an import that still exists — when one goes away, its entry must go too,
 * so the lists only shrink.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const emitDir = path.join(root, "packages/generator/src/emit");
const lists = createRequire(import.meta.url)(path.join(root, "scripts/import-exceptions.cjs")) as {
  EMITTERS: string[];
  KNOWN_BUILTIN_IMPORTS: { from: string; file: string; allowed: string }[];
};

/** The emit modules a file imports (`./name.js`), from its import declarations (not the generated text it holds). */
function emitImports(name: string): string[] {
  const text = readFileSync(path.join(emitDir, `${name}.ts`), "utf8");
  return [...text.matchAll(/^import [^;]*? from "\.\/([\w-]+)\.js";/gm)].map((m) => m[1] as string);
}

describe("import rules", () => {
  it("lists every emitter generate.ts calls, and only files that exist", () => {
    const generate = readFileSync(path.join(root, "packages/generator/src/generate.ts"), "utf8");
    const called = [...generate.matchAll(/import \{ emit\w+ \} from "\.\/emit\/([\w-]+)\.js"/g)].map((m) => m[1] as string);
    expect(called.length).toBeGreaterThan(10);
    for (const name of called) expect(lists.EMITTERS, `emit/${name}.ts is called by generate.ts`).toContain(name);
    for (const name of lists.EMITTERS) expect(existsSync(path.join(emitDir, `${name}.ts`)), `emit/${name}.ts`).toBe(true);
  });

  it("no emit module imports an emitter: emitters are leaves, helpers are at the bottom", () => {
    const emitters = new Set(lists.EMITTERS);
    for (const f of readdirSync(emitDir).filter((f) => f.endsWith(".ts"))) {
      const name = f.slice(0, -3);
      expect(emitImports(name).filter((to) => emitters.has(to)), `emit/${name}.ts imports an emitter`).toEqual([]);
    }
  });

  it("allows only built-in imports that exist today", () => {
    for (const k of lists.KNOWN_BUILTIN_IMPORTS) {
      expect(new RegExp(k.from).test(k.file)).toBe(true);
      const text = readFileSync(path.join(root, k.file), "utf8");
      expect(text, `${k.file} no longer imports ${k.allowed}: remove it from KNOWN_BUILTIN_IMPORTS`).toMatch(new RegExp(`from "(node:)?${k.allowed}"`));
    }
  });
  it("checks the sources of every package for import circles, type-only imports included", () => {
    const scripts = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts["imports"]).toMatch(/^depcruise packages\/\*\/src /);
    const config = createRequire(import.meta.url)(path.join(root, ".dependency-cruiser.cjs")) as {
      forbidden: { name: string; severity: string; from: object; to: object }[];
      options: { tsPreCompilationDeps: boolean };
    };
    expect(config.forbidden.find((r) => r.name === "no-circular")).toMatchObject({ severity: "error", from: {}, to: { circular: true } });
    expect(config.options.tsPreCompilationDeps).toBe(true);
  });
});
