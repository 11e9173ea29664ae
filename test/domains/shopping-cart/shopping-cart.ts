/**
 * The shopping cart of Emmett's samples, written the natural way: the state is a variant
 * (`Empty | Pending | Confirmed | Canceled`), so each handler narrows to the cart it can act
 * on; prices are decimals, so a line is found by value (`9.9` is `9.90`) and totals are exact;
 * the times recorded are the application's clock (`context.now()`), frozen in tests.
 */
import { equals, mul, sum } from "@eda/runtime/decimal";
import { defineShoppingCart, type ShoppingCartState, type ShoppingCartStatePending } from "./generated/carts/aggregates.js";
import type { PricedProductItem } from "./generated/carts/schemas.js";
import { reject } from "./generated/decisions.js";

/** A line of the cart is one product at one price. */
function sameLine(a: PricedProductItem, b: PricedProductItem): boolean {
  return a.productId === b.productId && equals(a.unitPrice, b.unitPrice);
}

/** How many of a product at a price the cart holds. */
function quantityOf(cart: ShoppingCartStatePending, item: PricedProductItem): number {
  return cart.items.filter((i) => sameLine(i, item)).reduce((n, i) => n + i.quantity, 0);
}

/** The cart's total, exactly: the sum of quantity × unit price. */
export function totalOf(state: ShoppingCartState): string {
  return state.status === "Pending" ? sum(state.items.map((i) => mul(i.unitPrice, String(i.quantity)))) : "0";
}

/** The amount one line adds or removes. */
export function lineTotal(item: PricedProductItem): string {
  return mul(item.unitPrice, String(item.quantity));
}

/** Adds `quantity` (negative to remove) to the line of `item`, dropping lines that reach zero. */
function adjust(items: readonly PricedProductItem[], item: PricedProductItem, quantity: number): PricedProductItem[] {
  if (!items.some((i) => sameLine(i, item))) return [...items, { ...item, quantity }];
  return items.map((i) => (sameLine(i, item) ? { ...i, quantity: i.quantity + quantity } : i)).filter((i) => i.quantity > 0);
}

export const shoppingCart = defineShoppingCart({
  decide: {
    AddProductItemToShoppingCart(command, state, context) {
      const now = context.now().toISOString();
      const added = { type: "ProductItemAddedToShoppingCart", data: { shoppingCartId: command.shoppingCartId, productItem: command.productItem, addedAt: now } } as const;
      if (state.status === "Empty") {
        return [{ type: "ShoppingCartOpened", data: { shoppingCartId: command.shoppingCartId, clientId: command.clientId, openedAt: now } }, added];
      }
      if (state.status !== "Pending") return reject({ code: "cart-closed", message: `The cart is ${state.status.toLowerCase()}.` });
      return [added];
    },
    RemoveProductItemFromShoppingCart(command, state, context) {
      if (state.status !== "Pending") return reject({ code: "cart-not-open" });
      if (quantityOf(state, command.productItem) < command.productItem.quantity) return reject({ code: "not-enough-items" });
      return [{ type: "ProductItemRemovedFromShoppingCart", data: { shoppingCartId: command.shoppingCartId, productItem: command.productItem, removedAt: context.now().toISOString() } }];
    },
    ConfirmShoppingCart(command, state, context) {
      if (state.status !== "Pending") return reject({ code: "cart-not-open" });
      if (state.items.length === 0) return reject({ code: "cart-empty" });
      return [{ type: "ShoppingCartConfirmed", data: { shoppingCartId: command.shoppingCartId, confirmedAt: context.now().toISOString() } }];
    },
    CancelShoppingCart(command, state, context) {
      if (state.status !== "Pending") return reject({ code: "cart-not-open" });
      return [{ type: "ShoppingCartCanceled", data: { shoppingCartId: command.shoppingCartId, canceledAt: context.now().toISOString() } }];
    },
  },
  evolve: {
    ShoppingCartOpened: (_state, event) => ({ status: "Pending", clientId: event.clientId, items: [], openedAt: event.openedAt }),
    ProductItemAddedToShoppingCart: (state, event) => (state.status === "Pending" ? { ...state, items: adjust(state.items, event.productItem, event.productItem.quantity) } : state),
    ProductItemRemovedFromShoppingCart: (state, event) => (state.status === "Pending" ? { ...state, items: adjust(state.items, event.productItem, -event.productItem.quantity) } : state),
    ShoppingCartConfirmed: (_state, event) => ({ status: "Confirmed", confirmedAt: event.confirmedAt }),
    ShoppingCartCanceled: (_state, event) => ({ status: "Canceled", canceledAt: event.canceledAt }),
  },
});

