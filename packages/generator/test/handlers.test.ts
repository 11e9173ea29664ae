/**
 * The view-model decisions of the handler emitters (service streams, snapshot tags, projection
 * keys). Their layouts are the printer's, checked against Prettier in print.test.ts.
 */
import { describe, expect, it } from "vitest";
import { compile, type Model } from "@eda/language";
import { generate } from "../src/index.js";
import { serviceStreamField } from "../src/lower/stream-field.js";

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
