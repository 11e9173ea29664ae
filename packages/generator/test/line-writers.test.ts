/**
 * The printer's line writers (`src/print/object-lines.ts`, `type-lines.ts`, `interface-lines.ts`,
 * `schema-lines.ts`) and the JSON line writer beside `printJson` write the layouts the printer
 * would choose without building a Doc where a line fits: for names from 1 to 90 characters, each
 * writes exactly what `printDoc` prints for the same Doc (`printJson` for the same value).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { group, hardline, indent, type Doc } from "../src/print/doc.js";
import { printDoc, printLines } from "../src/print/printer.js";
import { array, arrow, assign, call, object, property } from "../src/print/ts.js";
import { fn, interfaceDecl, mapped, objectType, ref, signature, text, typeAlias, union, type Member } from "../src/print/ts-types.js";
import { docProp, objectProp, propDoc, valueProp, writeProps, writeTable, type PropNode } from "../src/print/object-lines.js";
import { interfaceLines } from "../src/print/interface-lines.js";
import { assignText, constArrayLines, getterLines, hugArrayText, memberLine, propertyLine, zodObjectText } from "../src/print/schema-lines.js";
import { jsonText, keyPrefix, printJson, writeJson, writeObjectArray } from "../src/json.js";
import { mappedAliasLines, refAliasLines, signatureLines, unionAliasLines } from "../src/print/type-lines.js";

const SEED = Number(process.env["EDA_PROPERTY_SEED"] ?? 42);
const RUNS = { numRuns: 500, seed: SEED };
/** A name of 1 to 90 characters: the layouts change around the 80 columns of a line. */
const name = fc.integer({ min: 1, max: 90 }).map((n) => `N${"a".repeat(n - 1)}`);
const names = (min: number, max: number) => fc.array(name, { minLength: min, maxLength: max });

describe("object literals written line by line", () => {
  it("write each property as the printer prints its Doc", () => {
    const leaf = fc.tuple(name, name, fc.constantFrom("expr", "string", "chain", "number" as const)).map(([k, v, kind]) => valueProp(k, v, kind));
    const arrowLeaf = fc.tuple(name, name).map(([k, f]) => docProp(k, `(e, h) => ${f}(e, h.x)`, arrow(["e", "h"], call(f, ["e", "h.x"]))));
    const prop: fc.Arbitrary<PropNode> = fc.letrec<{ p: PropNode }>((tie) => ({
      p: fc.oneof({ depthSize: "small" }, leaf, arrowLeaf, fc.tuple(name, fc.array(tie("p"), { maxLength: 3 }), fc.boolean()).map(([k, ps, broken]) => objectProp(k, ps, broken))),
    })).p;
    fc.assert(
      fc.property(prop, fc.integer({ min: 0, max: 4 }), (p, depth) => {
        const out: string[] = [];
        writeProps(out, depth, [p]);
        expect(out).toEqual(printLines([propDoc(p), ","], depth));
      }),
      RUNS,
    );
  });

  it("write a table group by group as the printer prints the whole object, always broken", () => {
    const leaf = fc.tuple(name, name, fc.constantFrom("expr", "string", "chain", "number" as const)).map(([k, v, kind]) => valueProp(k, v, kind));
    const prop = fc.oneof(leaf, fc.tuple(name, fc.array(leaf, { maxLength: 3 }), fc.boolean()).map(([k, ps, broken]) => objectProp(k, ps, broken)));
    fc.assert(
      fc.property(name, fc.array(fc.array(prop, { maxLength: 3 }), { maxLength: 4 }), fc.integer({ min: 0, max: 4 }), (key, groups, depth) => {
        const out: string[] = [];
        writeTable(out, depth, key, groups, (g) => g);
        expect(out.join("\n")).toEqual(printLines([propDoc(objectProp(key, groups.flat(), true)), ","], depth).join("\n"));
      }),
      RUNS,
    );
  });
});

describe("type declarations written line by line", () => {
  it("write unions and types with arguments as their type aliases print", () => {
    fc.assert(
      fc.property(name, names(0, 4), fc.boolean(), (head, some, nullable) => {
        const members = nullable ? [...some, "null"] : some;
        expect(unionAliasLines(head, members)).toEqual(printLines(typeAlias(head, [], union(members))));
        const t = ref(members[0] ?? "X", ...members.slice(1));
        expect(refAliasLines(head, [{ name: "R", fallback: "RejectionReason" }], t)).toEqual(printLines(typeAlias(head, [{ name: "R", fallback: "RejectionReason" }], t)));
      }),
      RUNS,
    );
  });

  it("write mapped handler types and signatures as they print", () => {
    fc.assert(
      fc.property(name, name, name, name, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), (head, keys, param, ret, variant, returns) => {
        const params = variant === 0 ? [] : [{ name: "E", constraint: param, fallback: param }];
        const fnParams = [{ name: "event", type: text(`${keys}[K]`) }, { name: "state", type: ref("Readonly", param) }];
        const value = [ref("Decision", text(`${ret}[K]`), "R"), union([ret, "null"]), ret][returns] as string;
        expect(mappedAliasLines(head, params, `keyof ${keys}`, fnParams, value)).toEqual(printLines(typeAlias(head, params, mapped("K", text(`keyof ${keys}`), fn(fnParams, value)))));
        const handlers = variant === 2 ? [] : [{ name: "handlers", type: ref("ExactTable", "H", text(`keyof ${keys}`), param) }];
        const typeParams = [[], [{ name: "R" }], [{ name: "R", fallback: "RejectionReason" }, ...params]][variant] as { name: string }[];
        const result = [ref(ret, "R", param), ref(ret, "R"), ret][returns] as string;
        expect(signatureLines(head, typeParams, handlers, result)).toEqual(printLines(signature(head, typeParams, handlers, result)));
      }),
      RUNS,
    );
  });

  it("write interfaces with object types, unions, arguments and methods as they print", () => {
    const member = fc.tuple(name, names(1, 3), fc.integer({ min: 0, max: 3 })).map(([key, types, shape]): Member => {
      if (shape === 0) return { key, type: union(types), doc: ["/** A member. */"] };
      if (shape === 1) return { key, type: ref(key, ...types) };
      if (shape === 2) return { key, type: objectType(types.map((t) => ({ key: t, type: union(types) }))) };
      return { key, type: text(`${types[0] as string}["x"]`), params: [{ name: "event", type: types[0] as string }] };
    });
    fc.assert(
      fc.property(name, fc.array(member, { maxLength: 3 }), (head, members) => {
        const params = [{ name: "R", fallback: "RejectionReason" }, { name: "E", constraint: head, fallback: head }];
        expect(interfaceLines(head, members, params)).toEqual(printLines(interfaceDecl(head, params, members)));
      }),
      RUNS,
    );
  });
});

/**
 * How often each writer took its fast path (returned text rather than undefined, "use the
 * printer"): a writer that always bailed out would pass every comparison while checking nothing.
 */
function fastPaths() {
  const counts = new Map<string, number>();
  return {
    count<T>(writer: string, result: T | undefined): T | undefined {
      if (result !== undefined) counts.set(writer, (counts.get(writer) ?? 0) + 1);
      return result;
    },
    expectEach(writers: readonly string[]): void {
      for (const w of writers) expect(counts.get(w) ?? 0, `runs where ${w} wrote the text itself`).toBeGreaterThanOrEqual(Math.ceil((RUNS.numRuns ?? 100) / 10));
    },
  };
}

/** `[assign(left, " =", value), ";"]`: a declaration as the emitters print it. */
const statement = (left: string, value: Doc): Doc => [assign(left, " =", value), ";"];
/** A schema that never breaks, `z.name()`. */
const schema = (v: string): string => `z.${v}()`;
/** A string literal: an item that never breaks. */
const literal = (v: string): string => JSON.stringify(v);

describe("schema declarations written line by line", () => {
  it("write z.object declarations with properties and getters as they print", () => {
    const prop = fc.tuple(name, name, fc.boolean());
    const taken = fastPaths();
    fc.assert(
      fc.property(name, fc.array(prop, { minLength: 1, maxLength: 3 }), (left, props) => {
        const docs = props.map(([k, v, lazy]): Doc => (lazy ? [`get ${k}() {`, indent([hardline, "return ", group(schema(v)), ";"]), hardline, "}"] : property(k, schema(v))));
        const text = zodObjectText(`export const ${left}`, (depth) => {
          const out: string[] = [];
          for (const [k, v, lazy] of props) {
            const lines = lazy ? getterLines(k, schema(v), depth) : propertyLine(k, schema(v), depth);
            if (lines === undefined) return undefined;
            out.push(...(typeof lines === "string" ? [lines] : lines));
          }
          return out;
        });
        if (taken.count("object", text) !== undefined) expect(text).toEqual(printDoc(statement(`export const ${left}`, call("z.object", [object(docs, true)], true))));
      }),
      RUNS,
    );
    taken.expectEach(["object"]);
  });

  it("write interface members, assignments and arrays as they print", () => {
    const taken = fastPaths();
    fc.assert(
      fc.property(name, name, names(1, 4), (left, right, items) => {
        const member = memberLine(left, right);
        if (taken.count("member", member) !== undefined) expect(member).toEqual(printLines(interfaceDecl("interface I", [], [{ key: left, type: right, mutable: true }]))[1]);
        expect(assignText(`export const ${left}`, right)).toEqual(printDoc(statement(`export const ${left}`, right)));
        const strings = items.map(literal);
        const hugged = hugArrayText(`export const ${left}`, "z.enum(", strings);
        if (taken.count("hugged", hugged) !== undefined) expect(hugged).toEqual(printDoc(statement(`export const ${left}`, call("z.enum", [array(strings)], true))));
        const union = hugArrayText(left, 'z.discriminatedUnion("type", ', items);
        if (taken.count("union", union) !== undefined) expect(union).toEqual(printDoc(statement(left, call("z.discriminatedUnion", ['"type"', array(items)], true))));
        expect(constArrayLines(`export const ${left}`, strings)).toEqual(printLines(statement(`export const ${left}`, [array(strings), " as const"])));
      }),
      RUNS,
    );
    taken.expectEach(["member", "hugged", "union"]);
  });
});

describe("JSON written line by line", () => {
  it("writes schemas' values as printJson prints them", () => {
    const taken = fastPaths();
    const primitive = fc.oneof(name, fc.integer(), fc.boolean(), fc.constant(null));
    const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof({ depthSize: "small" }, primitive, fc.array(primitive, { maxLength: 6 }), fc.array(tie("v"), { maxLength: 3 }), fc.dictionary(name, tie("v"), { maxKeys: 3 })),
    })).v;
    fc.assert(
      fc.property(value, name, (v, key) => {
        const text = jsonText(v);
        if (taken.count("json", text) !== undefined) expect(text).toEqual(printJson(v));
        const out: string[] = [];
        const wrapped = { [key]: v };
        if (taken.count("writeJson", writeJson(out, wrapped, 0, "", "") || undefined)) expect(`${out.join("\n")}\n`).toEqual(printJson(wrapped));
      }),
      RUNS,
    );
    taken.expectEach(["json", "writeJson"]);
  });

  it("writes an array of objects group by group as printJson prints the whole array", () => {
    const primitive = fc.oneof(name, fc.integer(), fc.boolean(), fc.constant(null));
    const item = fc.dictionary(name, fc.oneof(primitive, fc.array(primitive, { maxLength: 4 })), { maxKeys: 3 });
    fc.assert(
      fc.property(name, fc.array(fc.array(item, { maxLength: 3 }), { maxLength: 4 }), (key, groups) => {
        const out = ["{"];
        if (!writeObjectArray(out, 1, keyPrefix(key), groups, (g) => g, "")) return;
        out.push("}");
        expect(`${out.join("\n")}\n`).toEqual(printJson({ [key]: groups.flat() }));
      }),
      RUNS,
    );
  });
});
