/**
 * The view-model decisions of the handler emitters (service streams, snapshot tags, projection
 * keys) and the layout helpers they share, each layout checked against Prettier itself.
 */
import fc from "fast-check";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { compile, type Model } from "@eda/language";
import { generate } from "../src/index.js";
import { callLines, objectLines, propertyLines } from "../src/emit/behaviour.js";
import { fnTypeLines, genericAlias, signatureLines, unionAlias, unionMember } from "../src/emit/type-layout.js";
import { named } from "../src/lower/imports.js";
import { serviceStreamField } from "../src/lower/stream-field.js";
import { importDeclaration } from "../src/lower/print-imports.js";

function modelOf(text: string): Model {
  const { model, diagnostics } = compile([{ path: "m.eda", text }]);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return model;
}

function file(model: Model, path: string): string {
  const found = generate(model).find((f) => f.path === path);
  if (!found) throw new Error(`no ${path}`);
  return found.content;
}

describe("services", () => {
  const service = (commands: string): Model => modelOf(`context C\n${commands}\nevent Done { id: uuid }\nservice S {\n  on A emits Done\n  on B emits Done\n}`);

  it("key their stream by the first scalar field every command carries", () => {
    const m = service("command A { note: string, orderId: uuid }\ncommand B { orderId: uuid }");
    expect(serviceStreamField(m.contexts[0]?.services[0] as never)).toBe("orderId");
    expect(file(m, "c/services.ts")).toContain("return `C.S-${command.data.orderId}`;");
  });

  it("have one stream when their commands share no such field", () => {
    for (const commands of ["command A { x: uuid }\ncommand B { y: uuid }", "command A { x?: uuid }\ncommand B { x?: uuid }", "command A { x: uuid }\ncommand B { x: string }"]) {
      const m = service(commands);
      expect(serviceStreamField(m.contexts[0]?.services[0] as never), commands).toBeUndefined();
      expect(file(m, "c/services.ts")).toContain('return "C.S";');
    }
  });
});

describe("aggregates", () => {
  const aggregate = (state: string): string =>
    file(modelOf(`context C\ncommand Go { id: uuid }\nevent Went { id: uuid }\naggregate A {\n  stream id\n  state {\n    ${state}\n  }\n  on Go emits Went\n}`), "c/aggregates.ts");
  const tag = (text: string): string | undefined => /snapshotTag: "(.*)"/.exec(text)?.[1];

  it("tag snapshots with the state's shape: a new tag when the shape changes, not when a default does", () => {
    const base = tag(aggregate("n: int = 0"));
    expect(base).toMatch(/^C\.A@[0-9a-f]{8}$/);
    expect(tag(aggregate("n: int = 5"))).toBe(base);
    expect(tag(aggregate("n: float = 0"))).not.toBe(base);
    expect(tag(aggregate("m: int = 0"))).not.toBe(base);
    expect(tag(aggregate("n?: int"))).not.toBe(base);
  });

  it("start from the declared defaults, optional fields absent", () => {
    expect(aggregate('n: int = 0\n    s: string = "x"\n    l: string[] = []\n    o?: int')).toContain(
      ["export const initialAState: AState = {", "  n: 0,", '  s: "x",', "  l: [],", "};"].join("\n"),
    );
  });
});

describe("projections", () => {
  const projection = (keyType: string): string =>
    file(modelOf(`context C\nenum E { X, Y }\nevent Seen { k: ${keyType} }\nprojection P {\n  key k: ${keyType}\n  fields { n: int = 0 }\n  from Seen\n}`), "c/projections.ts");

  it("key rows by a string and rebuild the typed key from it", () => {
    expect(projection("uuid")).toMatch(/return event\.data\.k;[\s\S]*k: key,/);
    expect(projection("int")).toMatch(/return `\$\{event\.data\.k\}`;[\s\S]*k: Number\(key\),/);
    expect(projection("bool")).toMatch(/return `\$\{event\.data\.k\}`;[\s\S]*k: key === "true",/);
    expect(projection("E")).toMatch(/return event\.data\.k;[\s\S]*k: CSchemas\.E\.parse\(key\),/);
  });
});

/** A name of `n` characters. */
const ident = (n: number, c = "a"): string => `N${c.repeat(Math.max(n - 1, 0))}`;
// Declared names up to 40 characters (the bound the layouts are written for; see behaviour.ts).
const length = fc.integer({ min: 1, max: 40 });

async function formatted(lines: readonly string[]): Promise<void> {
  const text = `${lines.join("\n")}\n`;
  expect(await prettier.format(text, { parser: "typescript" })).toBe(text);
}

describe("layouts match Prettier", () => {
  const runs = { numRuns: 60 };

  it("union aliases and union members", async () => {
    await fc.assert(
      fc.asyncProperty(length, fc.array(length, { minLength: 1, maxLength: 4 }), async (n, ms) => {
        const members = ms.map((m, i) => `S.${ident(m, "bcde"[i])}`);
        await formatted(unionAlias(`export type ${ident(n)}`, members));
        await formatted([`export interface I {`, ...unionMember(1, ident(n), members), "}"]);
      }),
      runs,
    );
  });

  it("function types, call statements and imports", async () => {
    await fc.assert(
      fc.asyncProperty(length, length, length, async (a, b, c) => {
        await formatted(["type T = {", ...fnTypeLines(1, `readonly [K in keyof ${ident(a)}]: `, [`command: ${ident(b)}[K]`, `state: Readonly<${ident(c)}>`], `Decision<${ident(a)}[K], R>`), "};"]);
        await formatted(["function f() {", ...callLines(1, `return handlers.${ident(a)}`, [`row.${ident(b)}`, "event.data"], ";"), "}"]);
        await formatted(importDeclaration(named(`./${ident(c)}.js`, [ident(a), ident(b, "b"), ident(c, "c")], true)));
      }),
      runs,
    );
  });

  it("generic aliases and function signatures", async () => {
    await fc.assert(
      fc.asyncProperty(length, length, async (a, b) => {
        await formatted(genericAlias(`export type ${ident(a)}Decider<R = RejectionReason>`, "Decider", [`${ident(b)}Command`, `${ident(b)}Event`, "R"]));
        await formatted([...signatureLines(`export function define${ident(a)}<R = RejectionReason>`, [`handlers: ${ident(b)}Handlers<NoInfer<R>>`], `${ident(a)}Decider<R>`), "  return 1;", "}"]);
        await formatted([...signatureLines(`export function test${ident(a)}<R>`, [`decider: ${ident(a)}<R>`], { name: "Scenarios", args: [`${ident(b)}C`, `${ident(b)}E`, "R"] }), "  return 1;", "}"]);
      }),
      runs,
    );
  });

  it("object literals and their properties", async () => {
    const values = fc.constantFrom("0", "-12", "1.5", "true", "[]", "key", '"text"', "Number(key)", "S.Message", 'key === "true"');
    await fc.assert(
      fc.asyncProperty(length, fc.array(fc.tuple(length, values), { maxLength: 4 }), async (n, props) => {
        const entries = props.map(([k, v], i) => [`${ident(k, "fgh"[i % 3])}${i}`, v] as const);
        await formatted(objectLines(0, `export const ${ident(n)}: ${ident(n)}State = `, entries, ";"));
        await formatted(["const x = {", ...propertyLines(1, ident(n), "S.Message"), "};"]);
      }),
      runs,
    );
  });
});
