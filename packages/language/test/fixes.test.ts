/**
 * A hint's proposed edit travels as data (`Diagnostic.fix`): for each kind of "Did you mean",
 * a one-word typo in a valid model gives a diagnostic whose fix, applied as it stands, gives the
 * valid model back.
 */
import { describe, expect, it } from "vitest";
import { compile, createParser, type Diagnostic, type SourceFile } from "../src/index.js";

const parser = createParser();

const SHOP = `context Shop

command PlaceOrder { orderId: uuid, total: int @min(0) }
event OrderPlaced { orderId: uuid, total: int }
command Charge { orderId: uuid, amount: int }
event Charged { orderId: uuid }

aggregate Order {
  stream orderId
  on PlaceOrder emits OrderPlaced rejects OutOfStock
  rejections { OutOfStock }
}

aggregate Payment {
  stream orderId
  on Charge emits Charged
}

workflow Pay orchestrated {
  start on OrderPlaced
  correlate orderId
  timeout 30m
  step charge {
    send Charge { amount = total }
    await Charged
  }
}
`;

const BILLING = `context Billing

use Shop

command BillOrder { orderId: uuid }
event OrderBilled { orderId: uuid }

service Biller {
  on BillOrder emits OrderBilled
}

workflow Bill choreographed {
  on OrderPlaced send BillOrder
  on Shop.Charged send BillOrder
}
`;

/**
 * Each case: the file, the right text, the typo written instead, the code it gets, and what the
 * fix writes back when that is not the right text itself.
 */
const CASES: readonly [file: "shop" | "billing", right: string, wrong: string, code: string, fixed?: string][] = [
  ["shop", "command PlaceOrder {", "comand PlaceOrder {", "EDA1005"],
  ["shop", "total: int @min(0)", "total: intt @min(0)", "EDA2001"],
  ["shop", "event OrderPlaced { orderId: uuid, total: int }", "event OrderPlaced { orderId: uuid, total: integer }", "EDA2001"],
  ["shop", "emits OrderPlaced rejects", "emits OrderPlacd rejects", "EDA2001"],
  ["shop", "@min(0)", "@mn(0)", "EDA2102"],
  ["shop", "stream orderId\n  on PlaceOrder", "stream ordrId\n  on PlaceOrder", "EDA4005"],
  ["shop", "rejects OutOfStock", "rejects OutOfStok", "EDA4030"],
  ["shop", "{ amount = total }", "{ amont = total }", "EDA5004"],
  ["shop", "{ amount = total }", "{ amount = totl }", "EDA5005"],
  ["shop", "{ amount = total }", "{ amount = OrderPlaced.totl }", "EDA5005", "{ amount = OrderPlaced.total }"],
  ["shop", "correlate orderId", "correlate ordrId", "EDA5010"],
  ["billing", "use Shop", "use Shp", "EDA2005"],
  ["billing", "on Shop.Charged", "on Shp.Charged", "EDA2005"],
];

function files(which: "shop" | "billing", text: string): SourceFile[] {
  return [
    { path: "shop.eda", text: which === "shop" ? text : SHOP },
    { path: "billing.eda", text: which === "billing" ? text : BILLING },
  ];
}

function apply(text: string, d: Diagnostic): string {
  const fix = d.fix as NonNullable<Diagnostic["fix"]>;
  return text.slice(0, fix.span.start) + fix.replacement + text.slice(fix.span.end);
}

describe("a hint's fix", () => {
  it("is absent from a valid model", () => {
    expect(compile(files("shop", SHOP), { parser }).diagnostics).toEqual([]);
  });

  it.each(CASES)("in %s: turns the typo back (%s → %s)", (which, right, wrong, code, fixed = right) => {
    const original = which === "shop" ? SHOP : BILLING;
    const broken = original.replace(right, wrong);
    expect(broken).not.toBe(original);
    const path = `${which}.eda`;
    const withFix = compile(files(which, broken), { parser }).diagnostics.filter((d) => d.code === code && d.fix !== undefined);
    expect(withFix.length, `a ${code} with a fix`).toBeGreaterThan(0);
    // Several diagnostics may point at one typo (a stream field missing from two messages): one edit.
    expect(new Set(withFix.map((d) => JSON.stringify(d.fix))).size).toBe(1);
    const d = withFix[0] as Diagnostic;
    expect(d.fix?.span.file).toBe(path);
    expect(apply(broken, d)).toBe(original.replace(right, fixed));
  });
});
