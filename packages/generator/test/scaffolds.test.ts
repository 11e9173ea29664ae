/**
 * Scaffolds: one file per aggregate, service, projection and context with `compute` upcasts;
 * every container and member the CLI relies on is written in the content exactly as described.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "@eda/language";
import { scaffold, type ScaffoldFile } from "../src/index.js";
import { relativeModule } from "../src/emit/scaffolds.js";
import { camelName } from "../src/lower/names.js";
import { readModel, repoRoot } from "./support.js";

function shopScaffolds(generatedFromHandlers = "../generated"): ScaffoldFile[] {
  const { model } = compile(readModel(join(repoRoot, "examples/shop")));
  return scaffold(model, { generatedFromHandlers });
}

/** `text` indented by `indent` on every line, as a member in an object literal (trailing comma). */
function indented(text: string, indent: string): string {
  return `${text
    .split("\n")
    .map((l) => indent + l)
    .join("\n")},\n`;
}

describe("scaffold", () => {
  it("writes one file per aggregate, service, projection and context with compute upcasts", () => {
    expect(shopScaffolds().map((f) => f.path)).toEqual([
      "inventory/reservation.ts",
      "notifications/mailer.ts",
      "ordering/order.ts",
      "ordering/customer-orders.ts",
      "ordering/upcasts.ts",
      "payments/payment.ts",
      "shipping/shipment.ts",
    ]);
  });

  it("imports the define function from the generated folder", () => {
    const order = shopScaffolds("../src/generated").find((f) => f.path === "ordering/order.ts");
    expect(order?.content).toContain('import { defineOrder } from "../../src/generated/ordering/aggregates.js";');
    expect(order?.content).toContain("export const order = defineOrder({");
  });

  it("describes every object literal: the call's argument, decide, evolve, and each upcast level", () => {
    const files = shopScaffolds();
    const order = files.find((f) => f.path === "ordering/order.ts");
    expect(order?.containers.map((c) => [c.variable, c.path.join("."), c.members.map((m) => m.key)])).toEqual([
      ["order", "", ["decide", "evolve"]],
      ["order", "decide", ["PlaceOrder", "ConfirmOrder", "CancelOrder"]],
      ["order", "evolve", ["OrderPlaced", "OrderConfirmed", "OrderCancelled"]],
    ]);
    const upcasts = files.find((f) => f.path === "ordering/upcasts.ts");
    expect(upcasts?.containers.map((c) => [c.variable, c.path.join("."), c.members.map((m) => m.key)])).toEqual([
      ["orderingUpcasts", "", ["OrderPlaced"]],
      ["orderingUpcasts", "OrderPlaced", ["v1"]],
      ["orderingUpcasts", "OrderPlaced.v1", ["total"]],
    ]);
    const mailer = files.find((f) => f.path === "notifications/mailer.ts");
    expect(mailer?.containers.map((c) => [c.path.join("."), c.members.map((m) => m.key)])).toEqual([["", ["SendOrderConfirmation", "SendShippingNotice"]]]);
  });

  it("writes each member's text in the content, indented one level deeper than its container", () => {
    for (const file of shopScaffolds()) {
      for (const container of file.containers) {
        for (const member of container.members) {
          const where = `${file.path}: ${[...container.path, member.key].join(".")}`;
          expect(file.content, where).toContain(indented(member.text, "  ".repeat(container.path.length + 1)));
        }
      }
    }
  });

  it("stubs throw, naming the handler and the file", () => {
    const order = shopScaffolds().find((f) => f.path === "ordering/order.ts");
    const place = order?.containers[1]?.members[0];
    expect(place?.text).toBe(
      [
        "PlaceOrder(_command, _state) {",
        "  throw new Error(",
        '    "Order.decide.PlaceOrder is not implemented yet (edit ordering/order.ts in the handlers folder)",',
        "  );",
        "}",
      ].join("\n"),
    );
  });
});

describe("names and paths", () => {
  it("resolves the generated module from a file one folder below the handlers folder", () => {
    expect(relativeModule("../generated", "ordering/aggregates.js")).toBe("../../generated/ordering/aggregates.js");
    expect(relativeModule("generated", "ordering/aggregates.js")).toBe("../generated/ordering/aggregates.js");
    expect(relativeModule(".", "ordering/aggregates.js")).toBe("../ordering/aggregates.js");
    expect(relativeModule("./../../out/", "a/b.js")).toBe("../../../out/a/b.js");
    expect(relativeModule("..", "a/b.js")).toBe("../../a/b.js");
  });

  it("camel-cases names and steps around reserved words", () => {
    expect(camelName("CustomerOrders")).toBe("customerOrders");
    expect(camelName("Delete")).toBe("delete_");
    expect(camelName("Default")).toBe("default_");
  });
});
