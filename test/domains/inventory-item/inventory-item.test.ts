/**
 * SimpleCQRS's inventory item as a cross-package test: the model (`inventory.eda`: variant state,
 * declared rejections, a details view) is generated and compiled strict with the handlers
 * (`inventory.ts`); the sample's behaviour holds through the generated given/when/then helper,
 * and on SQLite and PostgreSQL the generated app answers a stale `expectedVersion` (SimpleCQRS's
 * `originalVersion`) with a typed conflict that stores nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { freshStore } from "../../generated/shop-app.js";
import { generateDomain } from "../support.js";
// Types only (erased): the modules are imported once beforeAll has generated the code.
import type * as AppModule from "./generated/app.js";
import type * as TestingModule from "./generated/inventory/testing.js";
import type * as HandlersModule from "./inventory.js";

let tscErrors = "";
let handlers: typeof HandlersModule;
let testing: typeof TestingModule;
let appModule: typeof AppModule;

beforeAll(async () => {
  tscErrors = generateDomain("inventory-item");
  handlers = await import("./inventory.js");
  testing = await import("./generated/inventory/testing.js");
  appModule = await import("./generated/app.js");
}, 120_000);

it("the generated code and the handlers compile strict", () => {
  expect(tscErrors).toBe("");
});

const inventoryItemId = "3e1f5a7c-9b2d-4f6e-8a1c-2b3d4e5f6a7b";
const created = { type: "InventoryItemCreated", data: { inventoryItemId, name: "Widget" } } as const;
const deactivated = { type: "InventoryItemDeactivated", data: { inventoryItemId } } as const;
const checkIn = (count: number) => ({ type: "CheckInItemsToInventory", data: { inventoryItemId, count } }) as const;

describe("behaviour (SimpleCQRS's inventory item, through the generated helper)", () => {
  const given = (events: Parameters<ReturnType<(typeof TestingModule)["testInventoryItem"]>["given"]>[0] = []) => testing.testInventoryItem(handlers.inventoryItem).given(events);

  it("creates an item once", () => {
    expect(given().when({ type: "CreateInventoryItem", data: { inventoryItemId, name: "Widget" } }).then([created])).toEqual({ status: "Active" });
    given([created]).when({ type: "CreateInventoryItem", data: { inventoryItemId, name: "Gadget" } }).thenRejects({ code: "AlreadyCreated" });
  });

  it("renames, checks in and removes items of a known item only", () => {
    given([created]).when({ type: "RenameInventoryItem", data: { inventoryItemId, newName: "Gadget" } }).then([{ type: "InventoryItemRenamed", data: { inventoryItemId, newName: "Gadget" } }]);
    given([created]).when(checkIn(5)).then([{ type: "ItemsCheckedInToInventory", data: { inventoryItemId, count: 5 } }]);
    given([created]).when({ type: "RemoveItemsFromInventory", data: { inventoryItemId, count: 2 } }).then([{ type: "ItemsRemovedFromInventory", data: { inventoryItemId, count: 2 } }]);
    given().when(checkIn(5)).thenRejects({ code: "NotFound" });
    given().when({ type: "RenameInventoryItem", data: { inventoryItemId, newName: "Gadget" } }).thenRejects({ code: "NotFound" });
    given().when({ type: "RemoveItemsFromInventory", data: { inventoryItemId, count: 2 } }).thenRejects({ code: "NotFound" });
  });

  it("deactivates once", () => {
    expect(given([created]).when({ type: "DeactivateInventoryItem", data: { inventoryItemId } }).then([deactivated])).toEqual({ status: "Deactivated" });
    given([created, deactivated]).when({ type: "DeactivateInventoryItem", data: { inventoryItemId } }).thenRejects({ code: "AlreadyDeactivated" });
    given().when({ type: "DeactivateInventoryItem", data: { inventoryItemId } }).thenRejects({ code: "NotFound" });
  });
});

describe.each(["sqlite", "postgres"] as const)("an item through the generated app on %s", (engine) => {
  it("acts only on the version the client showed, and answers a stale one with a typed conflict", async () => {
    const { url, drop } = await freshStore(engine);
    const app = await appModule.createApp({ Inventory: { InventoryItem: handlers.inventoryItem, InventoryItemDetails: handlers.inventoryItemDetails } }, { store: url, bus: "memory:" });
    try {
      const details = app.projection("Inventory.InventoryItemDetails");
      expect(await app.send({ type: "CreateInventoryItem", data: { inventoryItemId, name: "Widget" } }, { expectedVersion: 0 })).toMatchObject({ status: "accepted" });
      await app.settle();
      const shown = await details.row(inventoryItemId);
      expect(shown).toEqual({ inventoryItemId, name: "Widget", currentCount: 0, version: 1 });

      // Two clients showed version 1; the first checks in, the second's rename is stale.
      expect(await app.send(checkIn(10), { expectedVersion: shown?.version ?? -1 })).toMatchObject({ status: "accepted" });
      const stale = await app.send({ type: "RenameInventoryItem", data: { inventoryItemId, newName: "Gadget" } }, { expectedVersion: 1 });
      expect(stale).toMatchObject({ status: "conflict", expectedVersion: 1, actualVersion: 2 });
      if (stale.status === "conflict") expect(stale.actualVersion - stale.expectedVersion).toBe(1);
      // After a reload the same rename goes through at the version now shown.
      expect(await app.send({ type: "RenameInventoryItem", data: { inventoryItemId, newName: "Gadget" } }, { expectedVersion: 2 })).toMatchObject({ status: "accepted" });
      expect(await app.send({ type: "RemoveItemsFromInventory", data: { inventoryItemId, count: 0 } })).toMatchObject({ status: "invalid" });
      expect(await app.send({ type: "RemoveItemsFromInventory", data: { inventoryItemId, count: 3 } })).toMatchObject({ status: "accepted" });
      await app.settle();
      expect(await details.row(inventoryItemId)).toEqual({ inventoryItemId, name: "Gadget", currentCount: 7, version: 4 });
      // The rejection's code is typed from the model's `rejects`.
      const again = await app.send({ type: "CreateInventoryItem", data: { inventoryItemId, name: "Widget" } });
      if (again.status === "rejected") {
        const code: "AlreadyCreated" = again.reason.code;
        expect(code).toBe("AlreadyCreated");
      } else expect.fail(`expected a rejection, got ${again.status}`);

      expect(await app.send({ type: "DeactivateInventoryItem", data: { inventoryItemId } }, { expectedVersion: 4 })).toMatchObject({ status: "accepted" });
      expect(await app.send({ type: "DeactivateInventoryItem", data: { inventoryItemId } })).toMatchObject({ status: "rejected", reason: { code: "AlreadyDeactivated" } });
      await app.settle();
      expect(await details.row(inventoryItemId)).toBeUndefined();
      const stored = await app.store.readStream(`Inventory.InventoryItem-${inventoryItemId}`);
      expect(stored.map((e) => e.type)).toEqual(["InventoryItemCreated", "ItemsCheckedInToInventory", "InventoryItemRenamed", "ItemsRemovedFromInventory", "InventoryItemDeactivated"]);
    } finally {
      await app.close();
      await drop();
    }
  });
});
