/**
 * The naming lints measured on a corpus of real command and event names (naming-corpus.ts).
 * EDA6001 should fire on events declared as commands and never on real commands; EDA6002 the
 * other way round. The test prints each lint's precision and recall.
 */
import { describe, expect, it } from "vitest";
import { commandNameProblem, eventNameProblem } from "../src/check/naming.js";
import { COMMANDS, EVENTS } from "./naming-corpus.js";

interface Score {
  readonly falsePositives: string[];
  readonly falseNegatives: string[];
  readonly precision: number;
  readonly recall: number;
}

/** `flags` should be false on `good` names and true on `bad` ones. */
function score(flags: (name: string) => boolean, good: readonly string[], bad: readonly string[]): Score {
  const falsePositives = good.filter(flags);
  const falseNegatives = bad.filter((n) => !flags(n));
  const truePositives = bad.length - falseNegatives.length;
  const flagged = truePositives + falsePositives.length;
  return { falsePositives, falseNegatives, precision: flagged === 0 ? 1 : truePositives / flagged, recall: truePositives / bad.length };
}

function report(code: string, s: Score): void {
  console.log(`${code}: precision ${(s.precision * 100).toFixed(1)}%, recall ${(s.recall * 100).toFixed(1)}%; missed: ${s.falseNegatives.join(" ") || "none"}`);
}

describe("naming corpus", () => {
  it("holds at least 300 distinct names", () => {
    expect(new Set([...COMMANDS, ...EVENTS]).size).toBeGreaterThanOrEqual(300);
  });

  it("EDA6001 warns on no real command and on the events declared as commands", () => {
    const s = score((n) => commandNameProblem(n) !== undefined, COMMANDS, EVENTS);
    report("EDA6001 (command not imperative)", s);
    expect(s.falsePositives).toEqual([]);
    expect(s.recall).toBeGreaterThan(0.9);
  });

  it("EDA6002 warns on no real event and on the commands declared as events", () => {
    const s = score((n) => eventNameProblem(n) !== undefined, EVENTS, COMMANDS);
    report("EDA6002 (event not past tense)", s);
    expect(s.falsePositives).toEqual([]);
    expect(s.recall).toBeGreaterThan(0.9);
  });
});

describe("command names", () => {
  it.each([
    ["OrderCreated", "past"],
    ["OrderCreate", "verb-last"],
    ["Order", "no-verb"],
    ["ProductItemAdd", "verb-last"],
    ["Shipment", "no-verb"],
  ])("%s is %s", (name, kind) => {
    expect(commandNameProblem(name)?.kind).toBe(kind);
  });

  it("suggests putting the verb first", () => {
    expect(commandNameProblem("OrderCreate")).toEqual({ kind: "verb-last", suggestion: "CreateOrder" });
  });

  it.each(["MarkTripBooked", "PlaceOrder", "BookHotel", "Pay", "ResetPassword", "SetPaidOrderStatus", "PlaceBet", "UnassignTask"])("%s is a request", (name) => {
    expect(commandNameProblem(name)).toBeUndefined();
  });
});

describe("event names", () => {
  it.each(["ItemsCheckedInToInventory", "MoneyWithdrawn", "BookingOverpaid", "CartEmptied", "OrderShipped", "PasswordReset", "ArrivedAtLocation", "UserAnonymized", "TicketTriaged", "Orderplaced"])("%s is a fact", (name) => {
    expect(eventNameProblem(name)).toBeUndefined();
  });

  it.each(["CreateOrder", "PaymentFailure", "FeedSeed", "Embed", "NeedSpeed", "HundredBeds", "NakedTruth"])("%s is not a fact", (name) => {
    expect(eventNameProblem(name)).toBe("no-participle");
  });
});
