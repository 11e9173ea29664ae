import { describe, expect, it } from "vitest";
import { CODES, stageOf, type Code } from "../src/diagnostics/codes/index.js";
import { LABELS } from "../src/diagnostics/codes/labels.js";
import { label, report } from "../src/diagnostics/diagnostic.js";
import { message } from "../src/diagnostics/message.js";

const span = { file: "a.eda", start: 0, end: 1 };

describe("message templates", () => {
  it("fill their holes by name, in order, and keep the text between them", () => {
    const t = message`The ${"what"} field \`${"field"}\` has no initial ${"what"}.`;
    expect(t.keys).toEqual(["what", "field", "what"]);
    expect(t.format({ what: "state", field: "total" })).toBe("The state field `total` has no initial state.");
    expect(message`No holes.`.format({})).toBe("No holes.");
    expect(message`${"n"} events`.format({ n: 3 })).toBe("3 events");
  });
});

describe("the catalogue", () => {
  const codes = Object.keys(CODES) as Code[];

  it("gives every code a stage; EDA1xxx, and only they, are syntax", () => {
    for (const code of codes) expect(stageOf(code) === "syntax", code).toBe(code.startsWith("EDA1"));
    expect(stageOf("EDA2001")).toBe("resolve");
    expect(stageOf("EDA4006")).toBe("check");
  });

  it("gives every code a default message, and every template one more part than it has holes", () => {
    for (const code of codes) {
      const info = CODES[code] as { messages?: Record<string, unknown>; hints?: object };
      expect(info.messages?.["default"], code).toBeDefined();
      for (const t of [...Object.values(info.messages ?? {}), ...Object.values(info.hints ?? {})] as { parts: string[]; keys: string[] }[]) expect(t.parts.length, code).toBe(t.keys.length + 1);
    }
  });

  it("builds a diagnostic from a code and data: severity, message and hint from the catalogue", () => {
    expect(report("EDA4006", span, { aggregate: "Order" })).toEqual({
      code: "EDA4006",
      severity: "error",
      span,
      message: "The aggregate `Order` does not name its stream field.",
      hint: "Add `stream fieldName`: the identity field that its commands and events carry.",
    });
    const optional = report("EDA4007", span, { owner: "PlaceOrder", field: "orderId" }, { variant: "optional" });
    expect(optional.message).toBe("`PlaceOrder.orderId` is optional, but a stream field is always present.");
    expect(optional.hint).toBe("Make `orderId` required in `PlaceOrder`.");
  });

  it("lets a call site name a hint, or none, and add labels", () => {
    const label = { span, message: "the stream field is named here" };
    const d = report("EDA4005", span, { owner: "OrderPlaced", field: "orderId", aggregate: "Order", guess: "orderID" }, { hint: "guess", labels: [label] });
    expect(d.message).toBe("`OrderPlaced` has no field `orderId`, the stream field of aggregate `Order`.");
    expect(d.hint).toBe("`OrderPlaced` has `orderID`: did you mean `stream orderID`?");
    expect(d.labels).toEqual([label]);
    expect(report("EDA4005", span, { owner: "OrderPlaced", field: "orderId", aggregate: "Order" }).hint).toBe("Add `orderId` to `OrderPlaced`.");
    expect(report("EDA4005", span, { owner: "OrderPlaced", field: "orderId", aggregate: "Order" }, { hint: null })).not.toHaveProperty("hint");
  });

  it("words the variants the check goldens do not show as the call sites did before the move", () => {
    const text = (d: { message: string; hint?: string }) => [d.message, d.hint];
    expect(text(report("EDA2008", span, { name: "class", context: "Shop" }))).toEqual(["`class` cannot be used as a name: it is reserved in TypeScript.", "Choose a more specific name, like `Shopclass`."]);
    expect(text(report("EDA2008", span, { name: "Promise", context: "Shop" }, { variant: "global" }))).toEqual([
      "`Promise` cannot be used as a name: it would hide the JavaScript global of that name in generated code.",
      "Choose a more specific name, like `ShopPromise`.",
    ]);
    expect(text(report("EDA2008", span, { name: "delete" }, { variant: "member" }))).toEqual(["`delete` cannot be an enum member: it is reserved in TypeScript.", "Rename the member."]);
    expect(text(report("EDA4010", span, { projection: "OrderList" }))).toEqual(["The projection `OrderList` has no key.", "Add `key fieldName: Type`: one row per value of a field its events carry."]);
    expect(text(report("EDA6004", span, { name: "pending", suggestion: "Pending" }, { variant: "member" }))).toEqual(["The enum member `pending` should be PascalCase.", "Write `Pending`."]);
    expect(text(report("EDA6005", span, { name: "Reserve", suggestion: "reserve" }, { variant: "step" }))).toEqual(["The step name `Reserve` should be camelCase.", "Write `reserve`."]);
    expect(text(report("EDA4016", span, { projection: "CustomersByEmail" }, { variant: "key" }))).toEqual([
      "The key of projection `CustomersByEmail` is personal data (`@pii`): row keys appear in logs and errors and are stored as they are.",
      "Key it by an id (`customerId: uuid`) and keep the personal data in a field of its own, which logs and traces redact.",
    ]);
    expect(text(report("EDA6006", span, { command: "Ship", field: "carrier" }))).toEqual(["`Ship.carrier` is deprecated, but this workflow still writes it.", "Stop filling it, or remove `@deprecated`."]);
  });
  it("words labels by name, filled with data", () => {
    expect(label(span, "firstDeclared")).toEqual({ span, message: "first declared here" });
    expect(label(span, "declaredAs", { name: "Sales.OrderPlaced" })).toEqual({ span, message: "`Sales.OrderPlaced` is declared here" });
    for (const t of Object.values(LABELS)) expect(t.parts.length).toBe(t.keys.length + 1);
  });
});
