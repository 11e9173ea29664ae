/**
 * Axon's gift card as a cross-package test: the model (`giftcard.eda`, a variant state with a
 * decimal balance) is generated and compiled strict with the handlers (`gift-card.ts`); the
 * behaviour of Axon's gift-card tests holds through the generated given/when/then helper, with
 * balances exact where floating point would drift.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { generateDomain } from "../support.js";
// Types only (erased): the modules are imported once beforeAll has generated the code.
import type * as TestingModule from "./generated/gift-cards/testing.js";
import type * as HandlersModule from "./gift-card.js";

let tscErrors = "";
let handlers: typeof HandlersModule;
let testing: typeof TestingModule;

beforeAll(async () => {
  tscErrors = generateDomain("gift-card");
  handlers = await import("./gift-card.js");
  testing = await import("./generated/gift-cards/testing.js");
}, 120_000);

it("the generated code and the handlers compile strict", () => {
  expect(tscErrors).toBe("");
});

const cardId = "7d3b9a1c-2e4f-4b6a-8c0d-1e2f3a4b5c6d";
const tx = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const issued = (amount: string) => ({ type: "CardIssued", data: { cardId, amount } }) as const;
const redeemed = (n: number, amount: string) => ({ type: "CardRedeemed", data: { cardId, transactionId: tx(n), amount } }) as const;
const redeem = (n: number, amount: string) => ({ type: "RedeemCard", data: { cardId, transactionId: tx(n), amount } }) as const;

describe("behaviour (Axon's gift-card tests, through the generated helper)", () => {
  const given = (events: Parameters<ReturnType<(typeof TestingModule)["testGiftCard"]>["given"]>[0] = []) => testing.testGiftCard(handlers.giftCard).given(events);

  it("issues a card once", () => {
    expect(given().when({ type: "IssueCard", data: { cardId, amount: "100" } }).then([issued("100")])).toEqual({ status: "Issued", remaining: "100" });
    given([issued("100")]).when({ type: "IssueCard", data: { cardId, amount: "5" } }).thenRejects({ code: "already-issued" });
  });

  it("redeems in parts, to the cent, where numbers would drift", () => {
    // 0.3 - 0.1 - 0.2 in floating point is -2.7755575615628914e-17, and the last redemption would be refused.
    const state = given([issued("0.3"), redeemed(1, "0.1")]).when(redeem(2, "0.2")).then([redeemed(2, "0.2")]);
    expect(state).toEqual({ status: "Issued", remaining: "0" });
  });

  it("refuses more than the balance, nothing, and an unissued or cancelled card", () => {
    given([issued("10.00")]).when(redeem(1, "10.01")).thenRejects({ code: "insufficient-funds", message: "10.00 left." });
    given([issued("10")]).when(redeem(1, "0.00")).thenRejects({ code: "nothing-to-redeem" });
    given().when(redeem(1, "1")).thenRejects({ code: "not-issued" });
    given([issued("10"), { type: "CardCancelled", data: { cardId } }]).when(redeem(1, "1")).thenRejects({ code: "not-issued" });
  });

  it("cancels an issued card", () => {
    expect(given([issued("10")]).when({ type: "CancelCard", data: { cardId } }).then([{ type: "CardCancelled", data: { cardId } }])).toEqual({ status: "Cancelled" });
  });
});
