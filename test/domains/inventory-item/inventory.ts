/**
 * SimpleCQRS's inventory item, written the natural way: a variant state instead of an
 * `_activated` flag, declared rejections instead of exceptions, and no `originalVersion` in the
 * commands nor a version counter in the state — the client's version check is `send`'s
 * `expectedVersion`, and `context.version` tells a new item from a known one.
 */
import { defineInventoryItem } from "./generated/inventory/aggregates.js";
import { defineInventoryItemDetails } from "./generated/inventory/projections.js";
import { reject } from "./generated/decisions.js";

export const inventoryItem = defineInventoryItem({
  decide: {
    CreateInventoryItem: (command, _state, context) => (context.version === 0 ? [{ type: "InventoryItemCreated", data: command }] : reject({ code: "AlreadyCreated" })),
    RenameInventoryItem: (command, state) => (state.status === "Unknown" ? reject({ code: "NotFound" }) : [{ type: "InventoryItemRenamed", data: command }]),
    CheckInItemsToInventory: (command, state) => (state.status === "Unknown" ? reject({ code: "NotFound" }) : [{ type: "ItemsCheckedInToInventory", data: command }]),
    RemoveItemsFromInventory: (command, state) => (state.status === "Unknown" ? reject({ code: "NotFound" }) : [{ type: "ItemsRemovedFromInventory", data: command }]),
    DeactivateInventoryItem(command, state) {
      if (state.status === "Unknown") return reject({ code: "NotFound" });
      if (state.status === "Deactivated") return reject({ code: "AlreadyDeactivated" });
      return [{ type: "InventoryItemDeactivated", data: command }];
    },
  },
  evolve: {
    InventoryItemCreated: () => ({ status: "Active" }),
    InventoryItemRenamed: (state) => state,
    ItemsCheckedInToInventory: (state) => state,
    ItemsRemovedFromInventory: (state) => state,
    InventoryItemDeactivated: () => ({ status: "Deactivated" }),
  },
});

/** SimpleCQRS's details view; `version` is the item's, as a client sends it back in `expectedVersion`. */
export const inventoryItemDetails = defineInventoryItemDetails({
  InventoryItemCreated: (row, event, envelope) => ({ ...row, name: event.name, version: envelope.position + 1 }),
  InventoryItemRenamed: (row, event, envelope) => ({ ...row, name: event.newName, version: envelope.position + 1 }),
  ItemsCheckedInToInventory: (row, event, envelope) => ({ ...row, currentCount: row.currentCount + event.count, version: envelope.position + 1 }),
  ItemsRemovedFromInventory: (row, event, envelope) => ({ ...row, currentCount: row.currentCount - event.count, version: envelope.position + 1 }),
  InventoryItemDeactivated: () => null,
});
