/** Syntax of issue 12: variant state (`state Empty | Pending { … }`) and `compensate always`. */
import { describe, expect, it } from "vitest";
import { createParser, compile, describeModel, formatSource } from "../src/index.js";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

const head = `context Carts
command Open { cartId: uuid }
event Opened { cartId: uuid }
`;
const tail = `  on Open emits Opened
}
`;

function run(state: string) {
  const text = `${head}aggregate Cart {\n  stream cartId\n${state}\n${tail}`;
  return { text, ...compile([{ path: "cart.eda", text }]) };
}

describe("variant state", () => {
  it("resolves each variant with its fields, the first one the initial state", () => {
    const { model, diagnostics } = run("  state Empty | Pending { items: string[], openedAt: timestamp } | Confirmed");
    expect(diagnostics).toEqual([]);
    const a = model.contexts[0]?.aggregates[0];
    expect(a?.state).toEqual([]);
    expect(a?.variants?.map((v) => [v.name, v.fields.map((f) => f.name)])).toEqual([
      ["Empty", []],
      ["Pending", ["items", "openedAt"]],
      ["Confirmed", []],
    ]);
    expect(JSON.stringify(describeModel(model))).toContain('"variants":[{"name":"Empty","fields":[]}');
  });

  it("leaves a record state without variants", () => {
    const { model } = run("  state { total: int = 0 }");
    expect(model.contexts[0]?.aggregates[0]?.variants).toBeUndefined();
  });

  it("reports an unknown type inside a variant", () => {
    const { diagnostics } = run("  state Empty | Pending { items: Itme[] }");
    expect(diagnostics.map((d) => d.code)).toEqual(["EDA2001"]);
  });

  it("refuses a second state, record or variants", () => {
    const { diagnostics } = run("  state { total: int = 0 }\n  state Empty | Open");
    expect(diagnostics.map((d) => d.code)).toEqual(["EDA1010"]);
  });

  it("formats one variant a line, keeps comments and docs, and is idempotent", () => {
    const { text } = run("  state Empty | Pending {\n    /// What the cart holds.\n    items: string[]\n  } // pending\n  | Confirmed { at: timestamp } | Canceled");
    const once = formatSource({ path: "cart.eda", text }, parser);
    expect(once.ok).toBe(true);
    if (!once.ok) return;
    expect(once.text).toContain("  state Empty\n  | Pending {\n    /// What the cart holds.\n    items: string[]\n  } // pending\n  | Confirmed { at: timestamp }\n  | Canceled\n");
    const twice = formatSource({ path: "cart.eda", text: once.text }, parser);
    expect(twice).toEqual(once);
    expect(compile([{ path: "cart.eda", text: once.text }], { parser }).diagnostics).toEqual([]);
  });
});

it("the shopping cart model (test/domains/shopping-cart) checks clean, warnings included", async () => {
  const { readFileSync } = await import("node:fs");
  const path = "test/domains/shopping-cart/cart.eda";
  const text = readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8");
  expect(compile([{ path, text }], { parser }).diagnostics).toEqual([]);
});

describe("compensate always", () => {
  const text = `context Trips
command BookHotel { tripId: uuid }
command CancelHotel { tripId: uuid }
event TripRequested { tripId: uuid }
event HotelBooked { tripId: uuid }
event HotelCancelled { tripId: uuid }
service Hotels {
  on BookHotel emits HotelBooked
  on CancelHotel emits HotelCancelled
}
workflow BookTrip orchestrated {
  start on TripRequested
  correlate tripId
  timeout 1h
  step hotel {
    send BookHotel
    await HotelBooked
    compensate   always CancelHotel
  }
}
`;

  it("marks the step, prints back as written, and is a command name otherwise", () => {
    const { model, diagnostics } = compile([{ path: "t.eda", text }], { parser });
    expect(diagnostics).toEqual([]);
    const step = model.contexts[0]?.workflows[0]?.steps[0];
    expect(step?.compensateAlways).toBe(true);
    expect(step?.compensate?.command.name).toBe("CancelHotel");
    const formatted = formatSource({ path: "t.eda", text }, parser);
    expect(formatted.ok && formatted.text.includes("    compensate always CancelHotel\n")).toBe(true);
    const plain = compile([{ path: "t.eda", text: text.replace("compensate   always CancelHotel", "compensate CancelHotel") }], { parser });
    expect(plain.model.contexts[0]?.workflows[0]?.steps[0]?.compensateAlways).toBeUndefined();
  });
});
