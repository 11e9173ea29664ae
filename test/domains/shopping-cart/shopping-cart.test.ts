/**
 * The Emmett shopping cart as a cross-package test: the model (`cart.eda`, variant state and
 * decimal prices) is generated, the hand-written handlers (`shopping-cart.ts`) and the generated
 * code compile under the strictest settings, the behaviour of Emmett's public cart tests holds
 * through the generated given/when/then helper, and a cart lives through the real runtime on
 * SQLite and PostgreSQL (state rebuilt from stored events, variants and decimals intact).
 */
import { randomUUID } from "node:crypto";
import { TEST_TIME } from "@eda/runtime/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { freshStore } from "../../generated/shop-app.js";
import { generateDomain } from "../support.js";

// Types only (erased): the modules are imported once beforeAll has generated the code.
import type * as CodecModule from "./generated/codec.js";
import type * as TestingModule from "./generated/carts/testing.js";
import type * as HandlersModule from "./shopping-cart.js";

type Handlers = typeof HandlersModule;
type Testing = typeof TestingModule;
type Codec = typeof CodecModule;
let handlers: Handlers;
let testing: Testing;
let codecModule: Codec;
let tscErrors = "";

beforeAll(async () => {
  tscErrors = generateDomain("shopping-cart");
  handlers = await import("./shopping-cart.js");
  testing = await import("./generated/carts/testing.js");
  codecModule = await import("./generated/codec.js");
}, 120_000);

const cartId = "6f1c1d1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f";
const clientId = "0b4f8c2e-5d6a-4e7b-9c8d-1e2f3a4b5c6d";
const shoes = "1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5";
// The given/when/then clock is frozen at TEST_TIME; the runtime test freezes the app's at `later`.
const now = TEST_TIME;
const later = "2026-01-15T09:30:00.000Z";
const item = (quantity: number, unitPrice: string, productId = shoes) => ({ productId, quantity, unitPrice });

const opened = { type: "ShoppingCartOpened", data: { shoppingCartId: cartId, clientId, openedAt: now } } as const;
const added = (quantity: number, unitPrice = "100") => ({ type: "ProductItemAddedToShoppingCart", data: { shoppingCartId: cartId, productItem: item(quantity, unitPrice), addedAt: now } }) as const;
const add = (quantity: number, unitPrice = "100") => ({ type: "AddProductItemToShoppingCart", data: { shoppingCartId: cartId, clientId, productItem: item(quantity, unitPrice) } }) as const;
const remove = (quantity: number, unitPrice = "100") => ({ type: "RemoveProductItemFromShoppingCart", data: { shoppingCartId: cartId, productItem: item(quantity, unitPrice) } }) as const;
const confirm = { type: "ConfirmShoppingCart", data: { shoppingCartId: cartId } } as const;
const cancel = { type: "CancelShoppingCart", data: { shoppingCartId: cartId } } as const;
const confirmed = { type: "ShoppingCartConfirmed", data: { shoppingCartId: cartId, confirmedAt: now } } as const;

it("the generated code and the handlers compile strict", () => {
  expect(tscErrors).toBe("");
});

describe("behaviour (Emmett's cart tests, through the generated helper)", () => {
  const given = (events: Parameters<ReturnType<Testing["testShoppingCart"]>["given"]>[0] = []) => testing.testShoppingCart(handlers.shoppingCart).given(events);

  it("the first item opens the cart", () => {
    const state = given().when(add(2)).then([opened, added(2)]);
    expect(state).toEqual({ status: "Pending", clientId, items: [item(2, "100")], openedAt: now });
  });

  it("records the time of the clock, which a scenario may set", () => {
    const at = { opened: { ...opened, data: { ...opened.data, openedAt: later } }, added: { ...added(1), data: { ...added(1).data, addedAt: later } } };
    const state = given().when(add(1), { now: later }).then([at.opened, at.added]);
    expect(state.status === "Pending" && state.openedAt).toBe(later);
  });

  it("a pending cart takes more items; one product at one price is one line, whatever the spelling", () => {
    const state = given([opened, added(2, "9.9")]).when(add(1, "9.90")).then([added(1, "9.90")]);
    expect(state.status === "Pending" && state.items).toEqual([item(3, "9.9")]);
    expect(handlers.totalOf(state)).toBe("29.7");
  });

  it("removes items it holds, and refuses more than it holds", () => {
    const removed = { type: "ProductItemRemovedFromShoppingCart", data: { shoppingCartId: cartId, productItem: item(1, "100.00"), removedAt: now } } as const;
    const state = given([opened, added(2)]).when(remove(1, "100.00")).then([removed]);
    expect(handlers.totalOf(state)).toBe("100");
    given([opened, added(2)]).when(remove(3)).thenRejects({ code: "not-enough-items" });
  });

  it("confirms a pending cart with items, and only that", () => {
    expect(given([opened, added(1)]).when(confirm).then([confirmed]).status).toBe("Confirmed");
    given().when(confirm).thenRejects({ code: "cart-not-open" });
    given([opened, added(1), { type: "ProductItemRemovedFromShoppingCart", data: { shoppingCartId: cartId, productItem: item(1, "100"), removedAt: now } }]).when(confirm).thenRejects({ code: "cart-empty" });
  });

  it("a confirmed or canceled cart takes nothing more", () => {
    given([opened, added(1), confirmed]).when(add(1)).thenRejects({ code: "cart-closed", message: "The cart is confirmed." });
    given([opened, added(1), confirmed]).when(cancel).thenRejects({ code: "cart-not-open" });
    const canceled = given([opened, added(1)]).when(cancel).then([{ type: "ShoppingCartCanceled", data: { shoppingCartId: cartId, canceledAt: now } }]);
    expect(canceled).toEqual({ status: "Canceled", canceledAt: now });
  });
});

describe.each(["sqlite", "postgres"] as const)("a cart through the runtime on %s", (engine) => {
  it("is rebuilt from its stored events, variant and exact decimals intact", async () => {
    const runtime = await import("@eda/runtime");
    const { url, drop } = await freshStore(engine);
    const store = await runtime.openStore(url);
    try {
      const codec = codecModule.createCodec();
      const clock = () => new Date(later);
      const send = (payload: unknown) => runtime.handleCommand(store, handlers.shoppingCart, codec as never, { messageId: randomUUID(), payload } as never, { clock });
      expect(await send(add(3, "0.1"))).toMatchObject({ status: "accepted" });
      expect(await send(add(3, "0.10"))).toMatchObject({ status: "accepted" });
      expect(await send(remove(7, "0.1"))).toMatchObject({ status: "rejected", reason: { code: "not-enough-items" } });
      expect(await send(confirm)).toMatchObject({ status: "accepted" });
      expect(await send(add(1))).toMatchObject({ status: "rejected", reason: { code: "cart-closed" } });
      const stored = await store.readStream(`Carts.ShoppingCart-${cartId}`);
      expect(stored.map((e) => e.type)).toEqual(["ShoppingCartOpened", "ProductItemAddedToShoppingCart", "ProductItemAddedToShoppingCart", "ShoppingCartConfirmed"]);
      // The wire format stays the string as sent; the arithmetic is exact.
      expect(stored.map((e) => (e.payload as { productItem?: { unitPrice: string } }).productItem?.unitPrice)).toEqual([undefined, "0.1", "0.10", undefined]);
      expect(stored.map((e) => Object.entries(e.payload as object).find(([k]) => k.endsWith("At"))?.[1])).toEqual([later, later, later, later]);
      let state = handlers.shoppingCart.initialState;
      for (const e of stored.slice(0, 3)) state = handlers.shoppingCart.evolve(state, codec.deserialize(e) as never);
      expect(handlers.totalOf(state)).toBe("0.6");
    } finally {
      await store.close();
      await drop();
    }
  });
});
