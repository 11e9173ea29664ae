/**
 * Properties of the front end over arbitrary and mutated input: it never throws, spans stay inside
 * their files, and formatting is idempotent and never changes the model.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createParser, compile, describeModel, formatSource, type Diagnostic, type SourceFile } from "../src/index.js";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

/** Runs of the comment-placement property: `EDA_PROPERTY_RUNS` for a longer run, `EDA_PROPERTY_SEED` to vary it. */
const PROPERTY_RUNS = Number(process.env["EDA_PROPERTY_RUNS"] ?? 600);
const PROPERTY_SEED = Number(process.env["EDA_PROPERTY_SEED"] ?? 42);

const shopDir = join(import.meta.dirname, "../../../examples/shop");
const shop: SourceFile[] = readdirSync(shopDir)
  .filter((f) => f.endsWith(".eda"))
  .sort()
  .map((f) => ({ path: f, text: readFileSync(join(shopDir, f), "utf8") }));

function spansInside(files: readonly SourceFile[], diagnostics: readonly Diagnostic[]): void {
  const lengths = new Map(files.map((f) => [f.path, f.text.length]));
  for (const d of diagnostics) {
    for (const span of [d.span, ...(d.labels ?? []).map((l) => l.span)]) {
      const len = lengths.get(span.file);
      expect(len, `${d.code} names an unknown file ${span.file}`).toBeDefined();
      expect(span.start, `${d.code} ${d.message}`).toBeGreaterThanOrEqual(0);
      expect(span.end).toBeGreaterThanOrEqual(span.start);
      expect(span.end).toBeLessThanOrEqual(len as number);
    }
  }
}

/** Splits a text into tokens and the gaps between them, so mutations keep the rest intact. */
function pieces(text: string): string[] {
  return text.match(/\s+|"(?:[^"\\\n]|\\.)*"|\/\/[^\n]*|[A-Za-z_][A-Za-z0-9_]*|[0-9]+[a-z]*|->|./g) ?? [];
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("swap" as const), at: fc.nat(), with: fc.nat() }),
);

function mutate(text: string, ms: readonly { kind: "delete" | "duplicate" | "swap"; at: number; with?: number }[]): string {
  const ps = pieces(text);
  for (const m of ms) {
    if (ps.length === 0) break;
    const i = m.at % ps.length;
    if (m.kind === "delete") ps.splice(i, 1);
    else if (m.kind === "duplicate") ps.splice(i, 0, ps[i] as string);
    else {
      const j = (m.with ?? 0) % ps.length;
      [ps[i], ps[j]] = [ps[j] as string, ps[i] as string];
    }
  }
  return ps.join("");
}

describe("the front end never throws", () => {
  it("on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (text) => {
        const files = [{ path: "a.eda", text }];
        spansInside(files, compile(files, { parser }).diagnostics);
        formatSource(files[0] as SourceFile, parser);
      }),
      { numRuns: 300 },
    );
  });

  it("on text made of the language's own words", () => {
    const word = fc.constantFrom("context", "use", "type", "event", "command", "aggregate", "workflow", "step", "on", "emits", "send", "{", "}", ":", ",", "=", "->", "v2", "X", "y", "int", "[]", "@min(1)", '"s"', "30m", "\n", " ", "///d\n", "/*", "*/", "//c\n", "|", "?", ".", "<", ">");
    fc.assert(
      fc.property(fc.array(word, { maxLength: 120 }), (words) => {
        const files = [{ path: "a.eda", text: words.join(" ") }];
        spansInside(files, compile(files, { parser }).diagnostics);
      }),
      { numRuns: 400 },
    );
  });

  it("on valid models with tokens deleted, duplicated or swapped", () => {
    fc.assert(
      fc.property(fc.nat({ max: shop.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, ms) => {
        const files = shop.map((f, i) => (i === which ? { ...f, text: mutate(f.text, ms) } : f));
        spansInside(files, compile(files, { parser }).diagnostics);
        formatSource(files[which] as SourceFile, parser);
      }),
      { numRuns: 300 },
    );
  });
});

describe("the formatter", () => {
  const formatAll = (files: readonly SourceFile[]): SourceFile[] | undefined => {
    const out: SourceFile[] = [];
    for (const f of files) {
      const r = formatSource(f, parser);
      if (!r.ok) return undefined;
      out.push({ path: f.path, text: r.text });
    }
    return out;
  };

  it("leaves the shop model as it is written", () => {
    expect(formatAll(shop)).toEqual(shop);
  });

  it("is idempotent and keeps the model on mutated models that still parse", () => {
    let formattedRuns = 0;
    fc.assert(
      fc.property(fc.nat({ max: shop.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), (which, ms) => {
        const files = shop.map((f, i) => (i === which ? { ...f, text: mutate(f.text, ms) } : f));
        const formatted = formatAll(files);
        if (!formatted) return; // a syntax error: the formatter refuses, tested below
        formattedRuns++;
        expect(formatAll(formatted)).toEqual(formatted);
        expect(describeModel(compile(formatted, { parser }).model)).toEqual(describeModel(compile(files, { parser }).model));
        const before = parser.parse(files[which] as SourceFile).ast.comments.map((c) => c.text.trim().split("\n")[0]);
        const after = parser.parse(formatted[which] as SourceFile).ast.comments.map((c) => c.text.trim().split("\n")[0]);
        expect(after).toEqual(before);
      }),
      { numRuns: 300 },
    );
    // Most mutations break the syntax; enough must survive for the property to mean something.
    expect(formattedRuns).toBeGreaterThan(30);
  });

  it("keeps every doc on what it documents, every orphan an orphan, every comment, and is idempotent, when comments land anywhere", () => {
    // Comments of every kind, docs among them, inserted between any two pieces of the shop's files.
    const comments = ["/// d", "// c", "/* b */", "/// e\n", "\n/// f\n", "/// x\n\n", "//// q", "/* m\n n */", "// g\n", ";", "\n", "// t\t", "/*\tu \n\tv\t*/"];
    const insertion = fc.record({ at: fc.nat(), text: fc.constantFrom(...comments) });
    const orphans = (file: SourceFile): string[] =>
      compile([file], { parser })
        .diagnostics.filter((d) => d.code === "EDA1012")
        .map((d) => file.text.slice(d.span.start, d.span.end).replace(/\s+/g, " "))
        .sort();
    // Blanks at the ends of a block comment's lines are not kept.
    const commentTexts = (file: SourceFile): string[] => parser.parse(file).ast.comments.map((c) => c.text.trim().replace(/[ \t\r]+\n/g, "\n")).sort();
    let formattedRuns = 0;
    fc.assert(
      fc.property(fc.nat({ max: shop.length - 1 }), fc.array(insertion, { minLength: 1, maxLength: 3 }), (which, inserted) => {
        const ps = pieces((shop[which] as SourceFile).text);
        for (const { at, text } of inserted) ps.splice(at % ps.length, 0, text.startsWith("//") && !text.endsWith("\n") ? ` ${text}\n` : text);
        const file = { path: (shop[which] as SourceFile).path, text: ps.join("") };
        const once = formatSource(file, parser);
        if (!once.ok) return;
        formattedRuns++;
        const formatted = { path: file.path, text: once.text };
        expect(formatSource(formatted, parser)).toEqual(once);
        // The same lines ending with `\r\n` format alike: the output's lines end with `\n` alone.
        expect(formatSource({ ...file, text: file.text.replaceAll("\n", "\r\n") }, parser)).toEqual(once);
        expect(once.text).not.toMatch(/[ \t\r]\n/);
        const files = shop.map((f, i) => (i === which ? file : f));
        const after = shop.map((f, i) => (i === which ? formatted : f));
        expect(describeModel(compile(after, { parser }).model)).toEqual(describeModel(compile(files, { parser }).model));
        expect(orphans(formatted)).toEqual(orphans(file));
        expect(commentTexts(formatted)).toEqual(commentTexts(file));
      }),
      { numRuns: PROPERTY_RUNS, seed: PROPERTY_SEED },
    );
    expect(formattedRuns).toBeGreaterThan(PROPERTY_RUNS / 2);
  });

  it("keeps a byte order mark at the start of the text, and is idempotent then", () => {
    const once = formatSource({ path: "x.eda", text: "\uFEFFcontext A\ntype   T { a: int }\n" }, parser);
    expect(once).toEqual({ ok: true, text: "\uFEFFcontext A\n\ntype T { a: int }\n" });
    if (once.ok) expect(formatSource({ path: "x.eda", text: once.text }, parser)).toEqual(once);
  });

  it("refuses a file with a syntax error and says where", () => {
    const r = formatSource({ path: "x.eda", text: "context A\ntype T { a int }\n" }, parser);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0]?.code).toBe("EDA1004");
  });
});
