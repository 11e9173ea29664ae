/**
 * The generated code of every example and domain model, with its scaffolds, compiles under the
 * strictest settings (this folder's tsconfig.json) and is already formatted; the same model
 * gives the same bytes; and each compile-time promise holds: a fixture in `fixtures/` marks each
 * offending line with `// @ts-expect-error TSxxxx why` (or holds `expectTypeOf` checks). The
 * fixtures compile as they are (no error, no unused directive), and a copy without the
 * directives (`fixtures-stripped/`) reports exactly the marked errors on exactly the marked lines.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generate, scaffold, SCHEMAS_PRAGMA, type GeneratedFile } from "@eda/generator";
import { DECLARED_TYPES_CHECK, describeErrors, HERE, loadModel, MODELS, OUT, outputOf, prettierFormat, runTsc, writeShopGenerated, writeTree, type ModelName, type TscError } from "./helpers.js";

const NAMES = Object.keys(MODELS) as ModelName[];
const FIXTURES = path.join(HERE, "fixtures");
const STRIPPED = path.join(HERE, "fixtures-stripped");
/** A directive on a line of its own, naming the error code it expects and why. */
const DIRECTIVE = /^\s*\/\/ @ts-expect-error (TS\d+) (.+)$/;

/** A marked line of a fixture: the error code expected on the line below the directive. */
interface Expectation {
  readonly line: number;
  readonly code: string;
  readonly why: string;
}

function fixtures(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith(".ts"))
    .sort();
}

/** The fixture without its directives (blank lines keep the numbering) and what it must report. */
function strip(text: string): { text: string; expected: Expectation[] } {
  const expected: Expectation[] = [];
  const lines = text.split("\n").map((line, i) => {
    const m = DIRECTIVE.exec(line);
    if (!m) return line;
    expected.push({ line: i + 2, code: m[1] as string, why: m[2] as string });
    return "";
  });
  return { text: lines.join("\n"), expected };
}

/**
 * Schemas changed so that they no longer meet their interfaces: the command `PlaceOrder` (in a
 * schema module, declared with its type) and the state of `Order` (in a handler module, inferred,
 * checked by `DECLARED_TYPES_CHECK`) parse a number where the interface says a string.
 */
const MISMATCHES = [
  { file: "ordering/schemas.ts", after: "export const PlaceOrder: z.ZodType<PlaceOrder> = z.object({", from: "orderId: z.uuid(),", to: "orderId: z.int()," },
  { file: "ordering/aggregates.ts", after: "export const OrderState = z.object({", from: "customerId: z.uuid().optional(),", to: "customerId: z.int().optional()," },
];

/** `f` with the first `from` after `after` replaced, for the files `MISMATCHES` names. */
function mismatched(f: GeneratedFile): GeneratedFile {
  const m = MISMATCHES.find((x) => x.file === f.path);
  if (!m) return f;
  const start = f.content.indexOf(m.after);
  const at = start < 0 ? -1 : f.content.indexOf(m.from, start);
  if (at < 0 || f.content.slice(start, at).includes("});")) throw new Error(`the shop's ${m.file} no longer reads as this test expects`);
  return { ...f, content: f.content.slice(0, at) + m.to + f.content.slice(at + m.from.length) };
}

let errors: TscError[] = [];
const outputs = new Map<ModelName, ReturnType<typeof outputOf>>();
const branded = new Map<ModelName, ReturnType<typeof generate>>();

beforeAll(async () => {
  for (const name of NAMES) {
    const output = outputOf(name);
    outputs.set(name, output);
    writeTree(path.join(OUT, name, "generated"), output.generated);
    writeTree(path.join(OUT, name, "handlers"), output.scaffolds);
    // The same model with branded scalars (`"brandedScalars": true` in eda.config.json).
    const model = loadModel(name);
    branded.set(name, generate(model, { brandedScalars: true }));
    writeTree(path.join(OUT, "branded", name, "generated"), branded.get(name) ?? []);
    writeTree(path.join(OUT, "branded", name, "handlers"), scaffold(model, { generatedFromHandlers: "../generated" }));
  }
  writeShopGenerated();
  // The shop with one schema that disagrees with the type it is declared with.
  writeTree(path.join(OUT, "mismatch"), (outputs.get("shop")?.generated ?? []).map(mismatched));
  writeTree(
    STRIPPED,
    fixtures().map((f) => ({ path: f, content: strip(readFileSync(path.join(FIXTURES, f), "utf8")).text })),
  );
  errors = await runTsc();
}, 300_000);

function errorsUnder(prefix: string): TscError[] {
  return errors.filter((e) => e.file.startsWith(prefix));
}

describe("generated code compiles with strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, verbatimModuleSyntax", () => {
  for (const name of NAMES) {
    it(`${name}: generated code and scaffolds`, () => {
      expect(outputs.get(name)?.generated.some((f) => f.path.endsWith("/aggregates.ts"))).toBe(true);
      expect(describeErrors(errorsUnder(`out/${name}/`))).toBe("");
    });
  }

  for (const name of NAMES) {
    it(`${name}: generated code and scaffolds with branded scalars`, () => {
      expect(branded.get(name)?.find((f) => f.path === "support.ts")?.content).toContain("export function timestamp(");
      expect(describeErrors(errorsUnder(`out/branded/${name}/`))).toBe("");
    });
  }

  it("the shop's hand-written handlers and the tests of this folder", () => {
    expect(describeErrors(errorsUnder("shop-handlers/"))).toBe("");
    expect(describeErrors(errors.filter((e) => !e.file.includes("/")))).toBe("");
  });

  it("schemas users' compilers do not check are checked here: a schema that disagrees with its type is an error", () => {
    const shop = outputs.get("shop")?.generated ?? [];
    expect(shop.find((f) => f.path === "ordering/schemas.ts")?.content).toContain(`\n${SCHEMAS_PRAGMA}\n`);
    const found = errorsUnder("out/mismatch/");
    // TS2375 is TS2322 under exactOptionalPropertyTypes: the schema is not a `z.ZodType<…>` of its interface.
    expect(found.map((e) => `${e.file}:${e.code}`).sort()).toEqual([`out/mismatch/${DECLARED_TYPES_CHECK}:TS2375`, "out/mismatch/ordering/schemas.ts:TS2375"]);
    expect(found.map((e) => /is not assignable to type 'ZodType<(\w+\.)?(\w+)/.exec(e.message)?.[2]).sort()).toEqual(["OrderState", "PlaceOrder"]);
  });

  it("tsc reported nothing outside the files checked above", () => {
    const known = ["out/", "shop-handlers/", "fixtures/", "fixtures-stripped/"];
    expect(describeErrors(errors.filter((e) => e.file.includes("/") && !known.some((k) => e.file.startsWith(k))))).toBe("");
  });
});

describe("compile-time promises (fixtures/)", () => {
  for (const fixture of fixtures()) {
    it(fixture.replace(/\.ts$/, ""), () => {
      const text = readFileSync(path.join(FIXTURES, fixture), "utf8");
      const { expected } = strip(text);
      // A directive the pattern does not read would silence an error unchecked.
      expect(text.split("\n").filter((l) => l.includes("@ts-expect-error") && !DIRECTIVE.test(l))).toEqual([]);
      // As written, with its directives: no error, and no directive without an error under it.
      expect(describeErrors(errorsUnder(`fixtures/${fixture}`))).toBe("");
      // Without its directives: the marked errors, on the marked lines, and nothing else.
      const found = errorsUnder(`fixtures-stripped/${fixture}`);
      const lines = (xs: readonly { line: number }[]): number[] => [...new Set(xs.map((x) => x.line))].sort((a, b) => a - b);
      expect(lines(found), describeErrors(found)).toEqual(lines(expected));
      for (const x of expected) expect(found.filter((e) => e.line === x.line).map((e) => e.code), `${fixture}:${x.line} (${x.why})`).toContain(x.code);
    });
  }
});

describe("generated code is already formatted (Prettier changes nothing)", () => {
  for (const name of NAMES) {
    it(`${name}: generated TypeScript`, async () => {
      const files = (outputs.get(name)?.generated ?? []).filter((f) => f.path.endsWith(".ts"));
      expect(files.length).toBeGreaterThan(0);
      const changed: string[] = [];
      for (const f of files) if ((await prettierFormat(f.content, f.path)) !== f.content) changed.push(f.path);
      expect(changed).toEqual([]);
    });

    it(`${name}: generated TypeScript with branded scalars`, async () => {
      const plain = new Map((outputs.get(name)?.generated ?? []).map((f) => [f.path, f.content]));
      const files = (branded.get(name) ?? []).filter((f) => f.path.endsWith(".ts") && plain.get(f.path) !== f.content);
      expect(files.length).toBeGreaterThan(0);
      const changed: string[] = [];
      for (const f of files) if ((await prettierFormat(f.content, f.path)) !== f.content) changed.push(f.path);
      expect(changed).toEqual([]);
    });

    it(`${name}: scaffolds`, async () => {
      const files = outputs.get(name)?.scaffolds ?? [];
      expect(files.length).toBeGreaterThan(0);
      const changed: string[] = [];
      for (const f of files) if ((await prettierFormat(f.content, f.path)) !== f.content) changed.push(f.path);
      expect(changed).toEqual([]);
    });
  }
});

describe("the same model gives the same bytes", () => {
  for (const name of NAMES) {
    it(name, () => {
      const again = loadModel(name);
      expect(generate(again)).toEqual(outputs.get(name)?.generated);
      expect(scaffold(again, { generatedFromHandlers: "../generated" })).toEqual(outputs.get(name)?.scaffolds);
    });
  }
});
