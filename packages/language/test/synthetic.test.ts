/**
 * The benchmark's synthetic models (`bench/synthetic.mjs`) check clean — no errors and no
 * warnings — so that `pnpm bench` measures the checker on valid input, and they use every part
 * of the language they claim to, so that the figures stand for a realistic model.
 */
import { describe, expect, it } from "vitest";
import { generateModel } from "../../../bench/synthetic.mjs";
import { createParser, compile, renderDiagnostics, type Model } from "../src/index.js";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

function check(contexts: number, seed: number) {
  const { files, bytes } = generateModel(contexts, seed);
  const result = compile(files, { parser });
  const rendered = renderDiagnostics(result.diagnostics, new Map(files.map((f) => [f.path, f.text])));
  return { files, bytes, model: result.model, rendered };
}

describe("synthetic models", () => {
  // 1 and 2 contexts take the generator's special paths (no neighbour; a neighbour that is both
  // the next and the previous one); 3 and more the general one.
  for (const contexts of [1, 2, 3, 7]) {
    for (const seed of [1, 2, 42]) {
      it(`${contexts} context(s), seed ${seed}, check with no errors and no warnings`, () => {
        const { rendered, model } = check(contexts, seed);
        expect(rendered).toBe("");
        expect(model.contexts).toHaveLength(contexts);
      });
    }
  }

  it("are deterministic: the same arguments give the same bytes, another seed other bytes", () => {
    const a = generateModel(5, 9);
    expect(generateModel(5, 9)).toEqual(a);
    expect(generateModel(5, 10).files.map((f) => f.text)).not.toEqual(a.files.map((f) => f.text));
  });

  it("report their size in UTF-8 bytes, about 10 kB per context", () => {
    const { files, bytes } = generateModel(20, 1);
    expect(bytes).toBe(files.reduce((sum, f) => sum + Buffer.byteLength(f.text, "utf8"), 0));
    expect(bytes / 20).toBeGreaterThan(8_000);
    expect(bytes / 20).toBeLessThan(13_000);
  });

  it("with long names check clean too, with names from short to past 60 characters", () => {
    for (const seed of [1, 2, 42]) {
      const { files } = generateModel(3, seed, { longNames: true, shapes: true });
      const result = compile(files, { parser });
      expect(renderDiagnostics(result.diagnostics, new Map(files.map((f) => [f.path, f.text])))).toBe("");
    }
    const lengths = [1, 2, 3, 4, 5, 6].flatMap((seed) => generateModel(6, seed, { longNames: true }).files.map((f) => /^context (\w+)$/m.exec(f.text)?.[1]?.length ?? 0));
    expect(Math.min(...lengths)).toBeLessThan(20);
    expect(Math.max(...lengths)).toBeGreaterThan(60);
  });

  it("refuse a count of contexts below one", () => {
    expect(() => generateModel(0, 1)).toThrow(/at least 1/);
  });

  it("use the whole language in every context", () => {
    const { model, files } = check(4, 3);
    for (const c of model.contexts) expect(features(c)).toEqual(ALL_FEATURES);
    const texts = files.map((f) => f.text).join("\n");
    expect(texts).toMatch(/^use \w+$/m);
    expect(texts).toMatch(/@pii/);
    expect(texts).toMatch(/@deprecated\(/);
    expect(texts).toMatch(/\/\*/);
  });
});

const ALL_FEATURES = {
  threeVersions: true,
  upcastRules: ["compute", "default", "rename"],
  aggregateWithSnapshot: true,
  service: true,
  projection: true,
  compensatedSteps: true,
  retry: true,
  timeout: true,
  choreography: true,
  foreignCommand: true,
  docComments: true,
  qualifiedType: true,
};

function features(c: Model["contexts"][number]) {
  const wf = c.workflows.find((w) => w.mode === "orchestrated");
  const rules = new Set(c.events.flatMap((e) => e.upcasts.flatMap((u) => u.plan.map((p) => p.kind))));
  return {
    threeVersions: c.events.some((e) => e.versions.length === 3 && e.versions.slice(0, 2).every((v) => v.upcastPath.length > 0)),
    upcastRules: ["compute", "default", "rename"].filter((k) => rules.has(k as never)),
    aggregateWithSnapshot: c.aggregates.some((a) => a.snapshotEvery !== undefined && a.state.length > 0),
    service: c.services.length > 0,
    projection: c.projections.length > 0,
    compensatedSteps: (wf?.steps.filter((s) => s.compensate).length ?? 0) >= 3,
    retry: wf?.steps.some((s) => s.retry) ?? false,
    timeout: wf?.timeoutMs !== undefined,
    choreography: c.workflows.some((w) => w.mode === "choreographed" && w.reactions.length >= 2),
    foreignCommand: wf?.steps.some((s) => s.send && s.send.command.context !== c.name) ?? false,
    docComments: c.doc !== undefined && c.commands.some((x) => x.doc !== undefined) && c.types.some((t) => t.fields.some((f) => f.doc !== undefined)),
    qualifiedType: c.types.some((t) => t.fields.some((f) => f.type.kind === "type" && f.type.decl.context !== c.name)),
  };
}
