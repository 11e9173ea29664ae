/**
 * Recovery inside aggregates and services: a syntax error cuts out only the item that holds it,
 * the other handlers are kept, and no follow-on error is reported about what the error took.
 */
import { describe, expect, it } from "vitest";
import { createParser, compile } from "../src/index.js";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

const HEAD = `context Shop

command PlaceOrder { orderId: uuid }
command CancelOrder { orderId: uuid }
command ShipOrder { orderId: uuid }
event OrderPlaced { orderId: uuid }
event OrderCancelled { orderId: uuid }
event OrderShipped { orderId: uuid }
`;

function check(body: string) {
  const { model, diagnostics } = compile([{ path: "shop.eda", text: `${HEAD}\n${body}` }], { parser });
  const owners = model.contexts.flatMap((c) => [...c.aggregates, ...c.services]);
  return {
    codes: diagnostics.map((d) => d.code),
    handled: owners.flatMap((o) => o.handlers.map((h) => h.command.name)).sort(),
  };
}

describe("recovery inside an aggregate", () => {
  it("keeps the handlers around a broken one and reports no unhandled command", () => {
    const r = check(`aggregate Order {
  stream orderId
  state { placed: bool = false }
  on PlaceOrder emits OrderPlaced
  on CancelOrder emit OrderCancelled
  on ShipOrder emits OrderShipped
}
`);
    expect(r.codes).toEqual(["EDA1004"]);
    expect(r.handled).toEqual(["PlaceOrder", "ShipOrder"]);
  });

  it("drops an unfinished last handler", () => {
    const r = check(`aggregate Order {
  stream orderId
  on PlaceOrder emits OrderPlaced
  on ShipOrder emits OrderShipped
  on CancelOrder emits
}
`);
    expect(r.codes).toEqual(["EDA1005"]);
    expect(r.handled).toEqual(["PlaceOrder", "ShipOrder"]);
  });

  it("reports each broken item and keeps the rest", () => {
    const r = check(`service Orders {
  on PlaceOrder emits OrderPlaced
  on CancelOrder emits emits OrderCancelled
  on ShipOrder emits OrderShipped
  on ? emits OrderShipped
}
`);
    expect(r.codes.filter((c) => c.startsWith("EDA1"))).toHaveLength(2);
    expect(r.codes).not.toContain("EDA4001");
    expect(r.handled).toEqual(["PlaceOrder", "ShipOrder"]);
  });

  it("drops a broken state block with its braces", () => {
    const r = check(`aggregate Order {
  stream orderId
  state {
    placed bool
  }
  on PlaceOrder emits OrderPlaced
  on CancelOrder emits OrderCancelled
  on ShipOrder emits OrderShipped
}
`);
    expect(r.codes).toEqual(["EDA1004"]);
    expect(r.handled).toEqual(["CancelOrder", "PlaceOrder", "ShipOrder"]);
  });

  it("still reports a command no handler names", () => {
    const r = check(`aggregate Order {
  stream orderId
  on PlaceOrder emit OrderPlaced
  on CancelOrder emits OrderCancelled
}
`);
    // `ShipOrder` has no handler at all, broken or not.
    expect([...r.codes].sort()).toEqual(["EDA1004", "EDA4001"]);
    expect(r.handled).toEqual(["CancelOrder"]);
  });

  it("reports no unhandled command for an aggregate whose header is broken", () => {
    const r = check(`aggregate Order stream {
  on PlaceOrder emits OrderPlaced
}
`);
    expect(r.codes).not.toContain("EDA4001");
    expect(r.codes.some((c) => c.startsWith("EDA1"))).toBe(true);
  });

  it("does not call an aggregate empty when its only handler was cut out", () => {
    const r = check(`aggregate Order {
  stream orderId
  on PlaceOrder emits OrderPlaced, OrderShipped
}
`);
    // `CancelOrder` and `ShipOrder` were never handled: those stay.
    expect([...r.codes].sort()).toEqual(["EDA1004", "EDA4001", "EDA4001"]);
  });
});
