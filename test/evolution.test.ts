/**
 * The evolution table: every `test/cases/evolution/<case>/` holds a baseline (`before.eda`), a
 * change of it (`after.eda`) and, optionally, the `options.json` of `compareModels`. Both are
 * compiled, the change is compared with the baseline, and the rendered diagnostics are compared
 * with `expected.txt` (`EDA_UPDATE_GOLDEN=1` rewrites it; review the diff). With `"via":
 * "registry"` in the options, the change is compared with the registry manifest the generator
 * writes for the baseline (`before.registry.json`), as `eda check --against <manifest>` does.
 *
 * A case is named after the code it is about: `EDA7003-stored-field-retyped.list` must report
 * EDA7003; a near-miss `EDA7003-stored-field-retyped.widened.ok` must not. Every EDA7xxx code has
 * a trigger and a near-miss here (the golden diagnostics of `test/cases/check` cover the others).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  createParser,
  CODES,
  compareModels,
  compile,
  stageOf,
  renderDiagnostics,
  sortDiagnostics,
  summarizeDiagnostics,
  compareWithRegistry,
  readRegistry,
  type Code,
  type CompareOptions,
  type Diagnostic,
  type Model,
  type SourceFile,
} from "@eda/language";
import { registryEntries, registryManifest } from "@eda/generator";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

const casesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "cases", "evolution");
const update = process.env.EDA_UPDATE_GOLDEN === "1";
const cases = readdirSync(casesDir).sort();

interface CaseOptions extends CompareOptions {
  readonly via?: "registry";
}

/** Compiles and compares one case; returns the golden text and the codes reported. */
function runCase(name: string): { text: string; codes: Code[]; compileErrors: string[] } {
  const dir = path.join(casesDir, name);
  const before = { path: "before.eda", text: readFileSync(path.join(dir, "before.eda"), "utf8") };
  const after = { path: "after.eda", text: readFileSync(path.join(dir, "after.eda"), "utf8") };
  const optionsFile = path.join(dir, "options.json");
  const options = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, "utf8")) as CaseOptions) : {};
  const baseline = compile([before], { parser });
  const current = compile([after], { parser });
  const shown: SourceFile[] = [before, after];
  let changes: Diagnostic[];
  if (options.via === "registry") {
    const manifest = { path: "before.registry.json", text: registryManifest(baseline.model) };
    shown.push(manifest);
    changes = viaRegistry(manifest, current.model);
  } else {
    changes = compareModels(baseline.model, current.model, options);
  }
  const diagnostics = sortDiagnostics([...current.diagnostics, ...changes]);
  const rendered = renderDiagnostics(diagnostics, new Map(shown.map((f) => [f.path, f.text])));
  const compileErrors = [...baseline.diagnostics, ...current.diagnostics].map((d) => `${d.span.file}: ${d.code} ${d.message}`);
  return {
    text: `${rendered}${rendered === "" ? "" : "\n"}${summarizeDiagnostics(diagnostics, 1)}\n`,
    codes: diagnostics.map((d) => d.code),
    compileErrors,
  };
}

function viaRegistry(manifest: SourceFile, current: Model): Diagnostic[] {
  const read = readRegistry(manifest);
  if ("error" in read) throw new Error(read.error);
  const hashes = new Map(registryEntries(current).map((e) => [`${e.type}@${e.version}`, e.sha256]));
  return compareWithRegistry(read.records, current, (event, version) => hashes.get(`${event.name}@${version}`) ?? "");
}

describe("evolution table", () => {
  it("has at least 30 change kinds", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  for (const name of cases) {
    it(name, () => {
      const { text, codes, compileErrors } = runCase(name);
      expect(compileErrors, "both sides of a case are valid models").toEqual([]);
      const golden = path.join(casesDir, name, "expected.txt");
      if (update) writeFileSync(golden, text);
      expect(text).toBe(readFileSync(golden, "utf8"));
      const code = name.slice(0, name.indexOf("-")) as Code;
      expect(Object.hasOwn(CODES, code), `${name} is named after an unknown code`).toBe(true);
      if (name.endsWith(".ok")) expect(codes, `${name} must not report ${code}`).not.toContain(code);
      else expect(codes, `${name} must report ${code}`).toContain(code);
    });
  }

  it("has a trigger and a near-miss for every evolution code", () => {
    const names = new Set(cases);
    const missing = (Object.keys(CODES) as Code[])
      .filter((code) => stageOf(code) === "evolution")
      .flatMap((code) => {
        const stem = `${code}-${CODES[code].name}`;
        const trigger = [...names].some((n) => n === stem || (n.startsWith(`${stem}.`) && !n.endsWith(".ok")));
        const nearMiss = [...names].some((n) => n.startsWith(stem) && n.endsWith(".ok"));
        return [...(trigger ? [] : [stem]), ...(nearMiss ? [] : [`${stem}.ok`])];
      });
    expect(missing).toEqual([]);
  });
});
