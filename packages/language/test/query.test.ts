/**
 * The editor-facing API: compiling from per-file parse results gives what `compile` gives, and
 * the reference index ties every written name to the symbol it means, across files and contexts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createParser, compile, compileParsed, describeModel, ModelIndex, type SourceFile } from "../src/index.js";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

const shopDir = join(import.meta.dirname, "../../../examples/shop");
const shop: SourceFile[] = readdirSync(shopDir)
  .filter((f) => f.endsWith(".eda"))
  .sort()
  .map((f) => ({ path: f, text: readFileSync(join(shopDir, f), "utf8") }));

const QUALIFIED: SourceFile[] = [
  { path: "a.eda", text: "context Billing\n\ntype Money { cents: int }\n\nevent Charged { id: uuid, amount: Money }\n" },
  { path: "b.eda", text: "context Sales\n\ncommand Sell { id: uuid, price: Billing.Money }\n\nprojection Sales { key id: uuid\n  from Billing.Charged }\n" },
];

function indexOf(files: readonly SourceFile[]) {
  const parsed = files.map((f) => parser.parse(f));
  const result = compileParsed(parsed);
  return { result, index: new ModelIndex(result.model, parsed.map((p) => p.ast)) };
}

describe("compileParsed", () => {
  it("gives the model and diagnostics `compile` gives, and can reuse parse results", () => {
    const parsed = shop.map((f) => parser.parse(f));
    const once = compileParsed(parsed);
    const again = compileParsed(parsed);
    const whole = compile(shop, { parser });
    expect(describeModel(once.model)).toEqual(describeModel(whole.model));
    expect(describeModel(again.model)).toEqual(describeModel(whole.model));
    const broken = [...shop.slice(1), { path: "x.eda", text: "context Ordering\ncommand Y { a: Nope }\n" }];
    expect(compileParsed(broken.map((f) => parser.parse(f))).diagnostics).toEqual(compile(broken, { parser }).diagnostics);
  });
});

describe("ModelIndex", () => {
  it("puts every occurrence on the written name of its symbol", () => {
    for (const files of [shop, QUALIFIED]) {
      const texts = new Map(files.map((f) => [f.path, f.text]));
      const { index } = indexOf(files);
      let count = 0;
      for (const [key] of index.symbols()) {
        const name = key.replace(/^.*[.:#]/, "");
        for (const o of index.occurrencesOf(key)) {
          expect(texts.get(o.span.file)?.slice(o.span.start, o.span.end), key).toBe(name);
          count++;
        }
      }
      expect(count).toBeGreaterThan(files === shop ? 150 : 8);
    }
  });

  it("resolves qualified names to the declaration in the other context, and the context part to the context", () => {
    const { index } = indexOf(QUALIFIED);
    const where = (key: string) => index.occurrencesOf(key).map((o) => `${o.span.file}:${o.span.start}${o.definition ? "*" : ""}`);
    const b = QUALIFIED[1]?.text ?? "";
    const a = QUALIFIED[0]?.text ?? "";
    expect(where("declaration:Billing.Money")).toEqual([`a.eda:${a.indexOf("Money")}*`, `a.eda:${a.lastIndexOf("Money")}`, `b.eda:${b.indexOf("Money")}`]);
    expect(where("declaration:Billing.Charged")).toContain(`b.eda:${b.indexOf("Charged")}`);
    expect(where("context:Billing")).toEqual(["a.eda:8*", `b.eda:${b.indexOf("Billing.Money")}`, `b.eda:${b.indexOf("Billing.Charged")}`]);
    // The projection key names the field of each event it is built from.
    expect(where("field:Billing.Charged@1#id")).toContain(`b.eda:${b.indexOf("key id") + 4}`);
  });

  it("finds the innermost occurrence at an offset, and fields of old event versions apart from the current", () => {
    const { index } = indexOf(shop);
    const ordering = shop.find((f) => f.path === "ordering.eda")?.text ?? "";
    const at = ordering.indexOf("contactEmail = from email") + "contactEmail = from ".length + 2;
    expect(index.at("ordering.eda", at).map((o) => o.key)).toEqual(["field:Ordering.OrderPlaced@1#email"]);
    expect(index.occurrencesOf("field:Ordering.OrderPlaced@2#contactEmail").length).toBeGreaterThanOrEqual(3);
  });
});
