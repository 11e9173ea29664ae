/**
 * The lowering stage: the GenModel is plain data (a JSON round trip keeps it), deterministic,
 * and true to the output — each module's imports are exactly the import lines its file starts
 * with, and the names it decides are the names the files declare.
 */
import { join } from "node:path";
import { compile } from "@eda/language";
import { describe, expect, it } from "vitest";
import { generate, lower, SCHEMAS_PRAGMA, type GenModel, type GenModule } from "../src/index.js";
import { freeLocal } from "../src/lower/names.js";
import { importLines } from "../src/lower/print-imports.js";
import { readModel, repoRoot } from "./support.js";

const MODELS = ["examples/shop", "examples/parcel-lockers", "test/models/hotel", "test/models/library", "test/models/billing", "test/generated/models/edge"];

function modelOf(dir: string) {
  const { model, diagnostics } = compile(readModel(join(repoRoot, dir)));
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return model;
}

function modules(gen: GenModel): GenModule[] {
  return [...Object.values(gen.modules), ...gen.contexts.flatMap((c) => Object.values(c.modules) as GenModule[])];
}

/** The import declarations after the header's lines: single lines, or `import {` to its `} from …;`. */
function importBlock(lines: readonly string[], start: number): string[] {
  let end = start;
  while (lines[end]?.startsWith("import ")) {
    while (!(lines[end] as string).endsWith(";")) end++;
    end++;
  }
  return lines.slice(start, end);
}

describe.each(MODELS)("lower(%s)", (dir) => {
  const model = modelOf(dir);
  const gen = lower(model);
  const files = new Map(generate(model).map((f) => [f.path, f.content]));

  it("is plain data: a JSON round trip gives it back, and lowering twice gives the same", () => {
    expect(JSON.parse(JSON.stringify(gen))).toEqual(gen);
    expect(lower(model)).toEqual(gen);
  });

  it("names every file generate writes", () => {
    const paths = new Set([...modules(gen).map((m) => m.path), ...Object.values(gen.files), ...gen.contexts.flatMap((c) => c.workflows.map((w) => w.diagram))]);
    const schemas = gen.contexts.map((c) => `${c.jsonSchemas}/`);
    for (const path of files.keys()) expect(paths.has(path) || schemas.some((s) => path.startsWith(s)), path).toBe(true);
  });

  it("lists every module generate writes, with its header and exactly its imports", () => {
    for (const m of modules(gen)) {
      const content = files.get(m.path);
      expect(content, m.path).toBeDefined();
      const lines = (content as string).split("\n");
      const header = m.header.split("\n").length;
      expect(lines.slice(0, header).join("\n"), m.path).toBe(m.header);
      expect(importBlock(lines, header), m.path).toEqual(importLines(m.imports));
      // Only the schema modules are left unchecked (the tests compile them without the pragma).
      expect(m.header.endsWith(`\n${SCHEMAS_PRAGMA}`), m.path).toBe(m.path.endsWith("/schemas.ts"));
    }
  });

  it("decides the names the files declare", () => {
    for (const c of gen.contexts) {
      for (const a of c.aggregates) expect(files.get(c.modules.aggregates?.path ?? "")).toContain(`export function ${a.names.define}<`);
      for (const s of c.services) expect(files.get(c.modules.services?.path ?? "")).toContain(`export function ${s.names.define}<`);
      for (const w of c.workflows) expect(files.get(c.modules.workflows?.path ?? "")).toContain(w.hooked ? `export function ${w.names.define}(` : `export const ${w.names.constant}: ${w.names.definition}`);
      for (const e of c.schemas.events) for (const v of e.versions) expect(files.get(c.modules.schemas.path)).toContain(`const ${v.name}: z.ZodType<${v.name}> =`);
      for (const f of c.upcasts?.functions ?? []) expect(files.get(c.modules.upcasters?.path ?? "")).toContain(`export function ${f.name}(`);
    }
  });
});

describe("reserved words", () => {
  it("a local named like a reserved word or a taken name gets `_`", () => {
    expect(freeLocal("default")).toBe("default_");
    expect(freeLocal("undefined")).toBe("undefined_");
    expect(freeLocal("ctx", new Set(["ctx"]))).toBe("ctx_");
    expect(freeLocal("order")).toBe("order");
  });
});
