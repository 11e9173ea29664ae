import type { ScaffoldContainer } from "@eda/generator";
import { describe, expect, it } from "vitest";
import { insertMissingMembers } from "../src/generate/insert-members.js";

const PLACE = { key: "PlaceOrder", text: 'PlaceOrder(state, command) {\n  throw new Error("not implemented: PlaceOrder");\n}' };
const CANCEL = { key: "CancelOrder", text: 'CancelOrder(state, command) {\n  throw new Error("not implemented: CancelOrder");\n}' };
const CONFIRM = { key: "ConfirmOrder", text: 'ConfirmOrder(state, command) {\n  if (state) {\n    throw new Error("not implemented");\n  }\n}' };
const PLACED = { key: "OrderPlaced", text: "OrderPlaced: (state) => state" };

const decide = (...members: ScaffoldContainer["members"]): ScaffoldContainer => ({ variable: "order", path: ["decide"], members });

const USER_FILE = `import { defineDecider } from "../generated/ordering/deciders.js";

// The user's own notes stay.
export const order = defineDecider({
  initialState: { status: "none" },
  decide: {
    PlaceOrder(state, command) {
      // implemented by hand
      return [{ type: "OrderPlaced", orderId: command.orderId }];
    },
  },
  evolve: {
    OrderPlaced: (state) => ({ ...state, status: "placed" }),
  },
});

function helper(): number {
  return 42;
}
`;

/** The text with `inserted` removed at `at` must be the original, byte for byte. */
function expectOnlyInserted(before: string, after: string, inserted: string): void {
  const at = after.indexOf(inserted);
  expect(at).toBeGreaterThan(0);
  expect(after.slice(0, at) + after.slice(at + inserted.length)).toBe(before);
}

describe("insertMissingMembers", () => {
  it("appends a missing handler at the end of its object, in the file's indentation, and changes nothing else", () => {
    const edit = insertMissingMembers(USER_FILE, [decide(PLACE, CANCEL)]);
    const inserted = '\n    CancelOrder(state, command) {\n      throw new Error("not implemented: CancelOrder");\n    },';
    expectOnlyInserted(USER_FILE, edit.text, inserted);
    expect(edit.text).toContain(`      return [{ type: "OrderPlaced", orderId: command.orderId }];\n    },${inserted}\n  },\n  evolve`);
    expect(edit).toMatchObject({ added: ["decide.CancelOrder"], stale: [], unplaced: [] });
  });

  it("adds several members in the model's order, keeps nested indentation, and fills more than one container", () => {
    const evolve: ScaffoldContainer = {
      variable: "order",
      path: ["evolve"],
      members: [PLACED, { key: "OrderCancelled", text: "OrderCancelled: (state) => state" }],
    };
    const edit = insertMissingMembers(USER_FILE, [decide(PLACE, CANCEL, CONFIRM), evolve]);
    expect(edit.added).toEqual(["decide.CancelOrder", "decide.ConfirmOrder", "evolve.OrderCancelled"]);
    expect(edit.text).toContain(
      '    },\n    CancelOrder(state, command) {\n      throw new Error("not implemented: CancelOrder");\n    },\n' +
        '    ConfirmOrder(state, command) {\n      if (state) {\n        throw new Error("not implemented");\n      }\n    },\n  },',
    );
    expect(edit.text).toContain('status: "placed" }),\n    OrderCancelled: (state) => state,\n  },\n});');
  });

  it("returns the very same text when nothing is missing", () => {
    const edit = insertMissingMembers(USER_FILE, [decide(PLACE)]);
    expect(edit.text).toBe(USER_FILE);
    expect(edit.added).toEqual([]);
  });

  it("reports members the model no longer has, and leaves them in place", () => {
    const edit = insertMissingMembers(USER_FILE, [decide(CANCEL)]);
    expect(edit.stale).toEqual(["decide.PlaceOrder"]);
    expect(edit.text).toContain("// implemented by hand");
    expect(edit.added).toEqual(["decide.CancelOrder"]);
  });

  it("follows a file without trailing commas", () => {
    const text = "export const order = defineDecider({\n  decide: {\n    PlaceOrder() {\n      return []\n    }\n  }\n})\n";
    const edit = insertMissingMembers(text, [decide(PLACE, CANCEL)]);
    expect(edit.text).toBe(
      "export const order = defineDecider({\n  decide: {\n    PlaceOrder() {\n      return []\n    },\n" +
        '    CancelOrder(state, command) {\n      throw new Error("not implemented: CancelOrder");\n    }\n  }\n})\n',
    );
  });

  it("keeps a comment that ends the last member's line with that member", () => {
    const text = "export const order = defineDecider({\n  decide: {\n    PlaceOrder: place // by hand\n  },\n});\n";
    const edit = insertMissingMembers(text, [decide(PLACE, PLACED)]);
    expect(edit.text).toBe("export const order = defineDecider({\n  decide: {\n    PlaceOrder: place, // by hand\n    OrderPlaced: (state) => state\n  },\n});\n");
  });

  it("follows tabs and CRLF line ends", () => {
    const text = "export const order = defineDecider({\r\n\tdecide: {\r\n\t\tPlaceOrder: place,\r\n\t},\r\n});\r\n";
    const edit = insertMissingMembers(text, [decide(PLACE, CONFIRM)]);
    expect(edit.text).toBe(
      "export const order = defineDecider({\r\n\tdecide: {\r\n\t\tPlaceOrder: place,\r\n" +
        '\t\tConfirmOrder(state, command) {\r\n\t\t\tif (state) {\r\n\t\t\t\tthrow new Error("not implemented");\r\n\t\t\t}\r\n\t\t},\r\n\t},\r\n});\r\n',
    );
  });

  it("fills an empty object on lines of its own", () => {
    const text = "export const order = defineDecider({\n  decide: {},\n  evolve: {\n  },\n});\n";
    const evolve: ScaffoldContainer = { variable: "order", path: ["evolve"], members: [PLACED] };
    const edit = insertMissingMembers(text, [decide(CANCEL), evolve]);
    expect(edit.text).toBe(
      'export const order = defineDecider({\n  decide: {\n    CancelOrder(state, command) {\n      throw new Error("not implemented: CancelOrder");\n    },\n  },\n' +
        "  evolve: {\n    OrderPlaced: (state) => state,\n  },\n});\n",
    );
  });

  it("treats quoted and computed keys as present, and looks through `satisfies`, `as` and parentheses", () => {
    const text =
      'export const order = (defineDecider({\n  "decide": {\n    "PlaceOrder": place,\n    ["CancelOrder"]: cancel,\n  } as Handlers,\n}) satisfies Decider);\n';
    const edit = insertMissingMembers(text, [decide(PLACE, CANCEL)]);
    expect(edit.text).toBe(text);
    expect(edit.stale).toEqual([]);
  });

  it("accepts a plain object literal at the top and an empty path", () => {
    const text = "export const hooks = {\n  a: 1,\n};\n";
    const edit = insertMissingMembers(text, [{ variable: "hooks", path: [], members: [{ key: "a", text: "a: 1" }, { key: "b", text: "b: 2" }] }]);
    expect(edit.text).toBe("export const hooks = {\n  a: 1,\n  b: 2,\n};\n");
    expect(edit.added).toEqual(["hooks.b"]);
  });

  it("does not add to an object that spreads another (it may hold the member), and says so", () => {
    const text = "export const order = defineDecider({\n  decide: {\n    ...shared,\n    PlaceOrder: place,\n  },\n});\n";
    const edit = insertMissingMembers(text, [decide(PLACE, CANCEL)]);
    expect(edit.text).toBe(text);
    expect(edit.unplaced).toEqual([{ container: "decide", members: ["decide.CancelOrder"], reason: expect.stringContaining("spreads") }]);
  });

  it("reports a container it cannot find, touching nothing", () => {
    const text = "export const renamed = defineDecider({ decide: {} });\nexport const order = makeIt();\n";
    const edit = insertMissingMembers(text, [decide(CANCEL), { variable: "other", path: [], members: [PLACED] }]);
    expect(edit.text).toBe(text);
    expect(edit.unplaced).toEqual([
      { container: "other", members: [], reason: "the file has no `const other`" },
      { container: "decide", members: [], reason: "`order` is not initialised with `define…({ … })`" },
    ]);
    const noPath = insertMissingMembers("export const order = defineDecider({ evolve: {} });\n", [decide(CANCEL)]);
    expect(noPath.unplaced[0]?.reason).toBe("the file has no `order.decide`");
  });

  it("adds a nested member whole, with the containers inside it, and reports a lost container once", () => {
    const text = "export const shopUpcasts = defineShopUpcasts({\n  OrderPlaced: {\n    v1: {\n      total(event) {\n        return 1;\n      },\n    },\n  },\n});\n";
    const field = (key: string) => ({ key, text: `${key}(event) {\n  throw new Error("not implemented");\n}` });
    const containers: ScaffoldContainer[] = [
      // Children before parents: the order must not matter.
      { variable: "shopUpcasts", path: ["OrderShipped", "v2"], members: [field("carrier")] },
      { variable: "shopUpcasts", path: ["OrderShipped"], members: [{ key: "v2", text: 'v2: {\n  carrier(event) {\n    throw new Error("not implemented");\n  },\n}' }] },
      { variable: "shopUpcasts", path: ["OrderPlaced", "v1"], members: [field("total")] },
      { variable: "shopUpcasts", path: ["OrderPlaced"], members: [{ key: "v1", text: "v1: {}" }] },
      { variable: "shopUpcasts", path: [], members: [{ key: "OrderPlaced", text: "OrderPlaced: {}" }, { key: "OrderShipped", text: 'OrderShipped: {\n  v2: {\n    carrier(event) {\n      throw new Error("not implemented");\n    },\n  },\n}' }] },
    ];
    const edit = insertMissingMembers(text, containers);
    expect(edit).toMatchObject({ added: ["shopUpcasts.OrderShipped"], stale: [], unplaced: [] });
    expect(edit.text).toBe(
      text.replace(
        "  },\n});",
        '  },\n  OrderShipped: {\n    v2: {\n      carrier(event) {\n        throw new Error("not implemented");\n      },\n    },\n  },\n});',
      ),
    );

    const lost = insertMissingMembers("export const other = 1;\n", containers);
    expect(lost.unplaced).toEqual([{ container: "shopUpcasts", members: [], reason: "the file has no `const shopUpcasts`" }]);
  });

  it("adds to a one-line object without breaking it", () => {
    const text = "export const order = defineDecider({ decide: { PlaceOrder: place } });\n";
    const edit = insertMissingMembers(text, [decide(PLACE, PLACED)]);
    expect(edit.text).toBe("export const order = defineDecider({ decide: { PlaceOrder: place,\n  OrderPlaced: (state) => state } });\n");
  });
});
