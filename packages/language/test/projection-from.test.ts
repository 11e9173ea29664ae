/** A projection's `from` may be repeated; the lists are joined (grammar/LANGUAGE.md, clauses). */
import { expect, it } from "vitest";
import { createParser, compile } from "../src/index.js";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

it("joins repeated `from` clauses of a projection", () => {
  const text = `context Shop
event OrderPlaced { orderId: uuid }
event OrderShipped { orderId: uuid }
event OrderCancelled { orderId: uuid }
projection OrderBoard {
  key orderId: uuid
  from OrderPlaced
  from OrderShipped, OrderCancelled
}
`;
  const { model, diagnostics } = compile([{ path: "shop.eda", text }], { parser });
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const p = model.contexts[0]?.projections[0];
  expect(p?.from.map((e) => e.event.name)).toEqual(["OrderPlaced", "OrderShipped", "OrderCancelled"]);
});
