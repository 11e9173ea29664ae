/**
 * The printer (`src/print/`): the algebra's decisions on small Docs, then the TypeScript Docs
 * checked against Prettier itself for names from 1 to 90 characters (the whole-module property
 * with long names is long-names.test.ts).
 */
import fc from "fast-check";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { conditionalGroup, group, groupId, hardline, ifBreak, indent, indentIfBreak, join, line, softline, type Doc } from "../src/print/doc.js";
import { printDoc, printWithGroups, textWidth } from "../src/print/printer.js";
import { args, array, arrow, assign, call, member, object, property } from "../src/print/ts.js";
import { fn, interfaceDecl, mapped, ref, signature, text, typeAlias, union } from "../src/print/ts-types.js";
import { named } from "../src/lower/imports.js";
import { importDeclaration } from "../src/lower/print-imports.js";

const SEED = Number(process.env["EDA_PROPERTY_SEED"] ?? 42);

describe("printDoc", () => {
  const list = (items: string[]): Doc => group(["[", indent([softline, join([",", line], items)]), ifBreak(","), softline, "]"]);

  it("prints a group flat when it fits, else breaks every line of it", () => {
    expect(printDoc(list(["a", "b"]), 0, 10)).toBe("[a, b]");
    expect(printDoc(list(["aaaa", "bbbb"]), 0, 10)).toBe("[\n  aaaa,\n  bbbb,\n]");
  });

  it("counts what follows a group up to the next possible break", () => {
    // `[a, b]` fits in 10 columns, but not with the text after it on the same line.
    expect(printDoc([list(["a", "b"]), "-tail-tail"], 0, 10)).toBe("[\n  a,\n  b,\n]-tail-tail");
    expect(printDoc([list(["a", "b"]), line, "tail"], 0, 10)).toBe("[a, b]\ntail");
  });

  it("breaks every group around a hard line, and trims trailing spaces", () => {
    expect(printDoc(group(["a", line, "b", hardline, "c"]))).toBe("a\nb\nc");
    expect(printDoc(["a ", hardline, "b"])).toBe("a\nb");
  });

  it("starts at a depth and indents what breaks inside", () => {
    expect(printDoc(list(["aaaa", "bbbb"]), 1, 12)).toBe("  [\n    aaaa,\n    bbbb,\n  ]");
  });

  it("asks another group how it printed (ifBreak and indentIfBreak with a group id)", () => {
    const id = groupId("test");
    const doc = [group(["x =", indent(line)], { id }), indentIfBreak(group(["f(", indent([softline, "long"]), softline, ")"]), id), ifBreak("!", "?", id)];
    const wide = printWithGroups(doc, 0, 80);
    expect(wide.text).toBe("x = f(long)?");
    expect(wide.broke(id)).toBe(false);
    const narrow = printWithGroups(doc, 0, 4);
    expect(narrow.text).toBe("x =\n  f(\n    long\n  )!");
    expect(narrow.broke(id)).toBe(true);
  });

  it("takes the first state of a conditional group that fits, else the last one broken", () => {
    const states = ["aaaaaaaa", ["aaa", hardline, "aaa"], group(["b", line, "b"])];
    expect(printDoc(conditionalGroup(states), 0, 10)).toBe("aaaaaaaa");
    expect(printDoc(conditionalGroup(states), 0, 5)).toBe("aaa\naaa");
    expect(printDoc(conditionalGroup(["aaaaaa", "bbbbbb", group(["b", line, "b"])]), 0, 2)).toBe("b\nb");
  });

  it("counts wide characters as two columns and combining marks as none", () => {
    expect(textWidth("abc")).toBe(3);
    expect(textWidth("日本")).toBe(4);
    expect(textWidth("e\u0301")).toBe(1);
  });
});

/** A name of `n` characters. */
const ident = (n: number, c = "a"): string => `N${c.repeat(Math.max(n - 1, 0))}`;
const length = fc.integer({ min: 1, max: 90 });
const runs = { numRuns: 40, seed: SEED };

async function formatted(doc: Doc): Promise<void> {
  const text = `${printDoc(doc)}\n`;
  expect(await prettier.format(text, { parser: "typescript" })).toBe(text);
}

describe("TypeScript Docs match Prettier", () => {
  it("type aliases of unions, references and mapped function types", async () => {
    await fc.assert(
      fc.asyncProperty(length, fc.array(length, { minLength: 1, maxLength: 4 }), async (n, ms) => {
        const members = ms.map((m, i) => `S.${ident(m, "bcde"[i])}`);
        await formatted(typeAlias(`export type ${ident(n)}`, [], union(members)));
        await formatted(typeAlias(`export type ${ident(n)}`, [{ name: "R", fallback: "RejectionReason" }], ref("Decider", ...members, "R")));
        const handler = fn([{ name: "command", type: text(`${ident(n)}[K]`) }, { name: "state", type: ref("Readonly", members[0] as string) }], union([members[0] as string, "null"]));
        await formatted(typeAlias(`export type ${ident(n)}Handlers`, [{ name: "R", fallback: "RejectionReason" }], mapped("K", text(`keyof ${ident(n)}`), handler)));
      }),
      runs,
    );
  });

  it("interfaces and function signatures", async () => {
    await fc.assert(
      fc.asyncProperty(length, length, fc.array(length, { minLength: 1, maxLength: 3 }), async (a, b, ms) => {
        const members = [{ key: ident(a), type: union(ms.map((m, i) => `S.${ident(m, "xyz"[i])}`)) }, { key: "evolve", type: ref("ExactTable", "E", text(`keyof ${ident(b)}`), ident(b, "s")) }];
        const params = [{ name: "R", fallback: "RejectionReason" }, { name: "E", constraint: ident(b, "e"), fallback: ident(b, "e") }];
        await formatted(interfaceDecl(`export interface ${ident(a)}Handlers`, params, members));
        await formatted([signature(`export function define${ident(a)}`, params, [{ name: "handlers", type: ref(ident(b), ref("NoInfer", "R"), "E") }], ref(`${ident(a)}Decider`, "R")), indent([hardline, "return 1;"]), hardline, "}"]);
      }),
      runs,
    );
  });

  it("assignments, calls, member accesses, arrays, objects and arrows", async () => {
    await fc.assert(
      fc.asyncProperty(length, length, length, async (a, b, c) => {
        await formatted([assign(`export const ${ident(a)}`, " =", call("z.enum", [array([`"${ident(b)}"`, `"${ident(c)}"`])], true)), ";"]);
        await formatted(["function f() {", indent([hardline, "return ", call(`handlers.${ident(a)}`, [`row.${ident(b)}`, "event.data"]), ";"]), hardline, "}"]);
        await formatted(["function f() {", indent([hardline, "return ", member("event", [{ text: ".data", computed: false }, { text: `.${ident(b)}`, computed: false }]), ";"]), hardline, "}"]);
        const props = [property(ident(a), `"${ident(b)}"`, "string"), property(ident(c), "12", "number"), property(ident(b), arrow(["e", "h"], call(ident(c), ["e", `h.${ident(a)}`]))), property("up", ident(c))];
        await formatted([assign(`export const ${ident(c)}: ${ident(a)}State`, " =", object(props, true)), ";"]);
        await formatted(["f", args([ident(a), object([property("key", ident(b))])], true), ";"]);
      }),
      runs,
    );
  });

  it("import declarations", async () => {
    await fc.assert(
      fc.asyncProperty(length, length, length, async (a, b, c) => {
        const text = `${importDeclaration(named(`./${ident(c)}.js`, [ident(a), ident(b, "b"), ident(c, "c")], true)).join("\n")}\n`;
        expect(await prettier.format(text, { parser: "typescript" })).toBe(text);
      }),
      runs,
    );
  });
});
