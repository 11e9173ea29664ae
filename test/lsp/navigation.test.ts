/**
 * `eda lsp` over stdio: hover, go to definition, find references, highlights and rename across
 * files and contexts, with the refusals that protect stored events.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createParser, compareModels, compile } from "@eda/language";
import type { Hover, Location, WorkspaceEdit } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { positionOf, shopCopy, startClient, type TestClient } from "./client.js";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

let client: TestClient;
const texts: Record<string, string> = {};
const read = (file: string) => (texts[file] ??= readFileSync(join(client.folder, file), "utf8"));
const at = (file: string, needle: string, offset = 1, nth = 0) => positionOf(read(file), needle, offset, nth);
const where = (locations: Location[] | null) => (locations ?? []).map((l) => `${l.uri.split("/").pop()}:${l.range.start.line + 1}:${l.range.start.character + 1}`).sort();

/** Applies a workspace edit to the files on disk (as texts) and compiles the result. */
function applyEdit(edit: WorkspaceEdit): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of Object.keys(texts).length ? readdirShop() : []) out[file] = read(file);
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
    const file = uri.split("/").pop() as string;
    let text = out[file] ?? read(file);
    const offsets = edits.map((e) => ({ start: offsetOf(text, e.range.start), end: offsetOf(text, e.range.end), newText: e.newText })).sort((a, b) => b.start - a.start);
    for (const e of offsets) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
    out[file] = text;
  }
  return out;
}
function readdirShop(): string[] {
  return ["checkout.eda", "common.eda", "fulfilment.eda", "notifications.eda", "ordering.eda", "payments.eda", "shipping.eda"];
}
function offsetOf(text: string, p: { line: number; character: number }): number {
  const lines = text.split("\n");
  return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
}

beforeAll(async () => {
  client = await startClient(shopCopy());
  for (const f of readdirShop()) read(f);
});
afterAll(() => client.close());

describe("hover", () => {
  it("shows an event's doc, fields, versions with their upcasts, and who emits and projects it", async () => {
    const hover = await client.request<Hover>("textDocument/hover", "checkout.eda", at("checkout.eda", "OrderPlaced"));
    const text = (hover.contents as { value: string }).value;
    expect(text).toContain("event Ordering.OrderPlaced v2");
    expect(text).toContain("An order was accepted.");
    expect(text).toContain("`contactEmail: email @pii`");
    expect(text).toContain("v1 → v2 (lines = [], total = compute, contactEmail = from email)");
    expect(text).toContain("Emitted by aggregate `Order` on `PlaceOrder`.");
    expect(text).toContain("Projected by `Ordering.CustomerOrders`.");
    expect(text).toContain("Starts workflow `Checkout`.");
    expect(text).toContain("Triggers a rule of `CustomerNotifications` that sends `SendOrderConfirmation`.");
  });

  it("shows who handles and who sends a command, and a field's type and constraints", async () => {
    const command = await client.request<Hover>("textDocument/hover", "checkout.eda", at("checkout.eda", "ChargePayment"));
    const text = (command.contents as { value: string }).value;
    expect(text).toContain("Handled by aggregate `Payment`, which emits `PaymentCaptured` | `PaymentDeclined`.");
    expect(text).toContain("Sent by workflow `Checkout` (step `chargePayment`).");
    const field = await client.request<Hover>("textDocument/hover", "ordering.eda", at("ordering.eda", "sku:"));
    expect((field.contents as { value: string }).value).toContain('sku: string @pattern("^[A-Z0-9-]{3,32}$")');
  });
});

describe("go to definition and references", () => {
  it("go from a use of a type in one context to its declaration in another", async () => {
    const defs = await client.request<Location[]>("textDocument/definition", "ordering.eda", at("ordering.eda", "unitPrice: Money", 12));
    expect(where(defs)).toEqual(["common.eda:7:6"]);
  });

  it("go from a `use` and from a mapping to the context and the event field", async () => {
    expect(where(await client.request("textDocument/definition", "checkout.eda", at("checkout.eda", "Payments")))).toEqual(["payments.eda:2:9"]);
    // `amount = total` reads `total` of the start event, OrderPlaced v2.
    expect(where(await client.request("textDocument/definition", "checkout.eda", at("checkout.eda", "= total", 3)))).toEqual(["ordering.eda:37:3"]);
  });

  it("find every use of an event in every file, with every version's declaration", async () => {
    const refs = await client.request<Location[]>("textDocument/references", "ordering.eda", at("ordering.eda", "event OrderPlaced", 7), { context: { includeDeclaration: true } });
    expect(where(refs)).toEqual(["checkout.eda:8:12", "notifications.eda:26:6", "ordering.eda:33:7", "ordering.eda:43:7", "ordering.eda:52:8", "ordering.eda:75:23", "ordering.eda:89:8"]);
    const uses = await client.request<Location[]>("textDocument/references", "ordering.eda", at("ordering.eda", "event OrderPlaced", 7), { context: { includeDeclaration: false } });
    expect(uses).toHaveLength(5);
  });

  it("tie a stream field to the field of every command and event of the aggregate", async () => {
    const refs = await client.request<Location[]>("textDocument/references", "payments.eda", at("payments.eda", "stream orderId", 8), { context: { includeDeclaration: true } });
    expect(where(refs)).toEqual(expect.arrayContaining(["payments.eda:6:25", "payments.eda:9:25", "payments.eda:14:10"]));
  });
});

describe("rename", () => {
  it("renames a command in every file, and the model stays valid", async () => {
    const edit = await client.request<WorkspaceEdit>("textDocument/rename", "payments.eda", at("payments.eda", "command ChargePayment", 9), { newName: "TakePayment" });
    expect(Object.keys(edit.changes ?? {}).map((u) => u.split("/").pop()).sort()).toEqual(["checkout.eda", "payments.eda"]);
    const after = applyEdit(edit);
    expect(after["checkout.eda"]).toContain("send TakePayment { amount = total }");
    const { diagnostics } = compile(Object.entries(after).map(([path, text]) => ({ path, text })), { parser });
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("renames a field of a command together with the mappings that fill it", async () => {
    const edit = await client.request<WorkspaceEdit>("textDocument/rename", "payments.eda", at("payments.eda", "amount: Money }", 1), { newName: "charge" });
    const after = applyEdit(edit);
    expect(after["checkout.eda"]).toContain("send ChargePayment { charge = total }");
    expect(after["payments.eda"]).toContain("command ChargePayment { orderId: uuid, charge: Money }");
  });

  it("renames a context in its `context` lines, `use` lines and qualified names", async () => {
    const edit = await client.request<WorkspaceEdit>("textDocument/rename", "payments.eda", at("payments.eda", "context Payments", 9), { newName: "Billing" });
    const after = applyEdit(edit);
    expect(after["payments.eda"]).toContain("context Billing");
    expect(after["checkout.eda"]).toContain("use Inventory, Billing, Shipping");
    const { diagnostics, model } = compile(Object.entries(after).map(([path, text]) => ({ path, text })), { parser });
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    // No stored event carries a type of Payments: against a baseline the gate names only the
    // aggregate, whose streams are named after its context (its events are v1, not yet taken as stored here).
    const gate = compareModels(compile(readdirShop().map((path) => ({ path, text: read(path) })), { parser }).model, model);
    expect(gate.filter((d) => d.severity === "error").map((d) => [d.code, d.message.split(";")[0]])).toEqual([["EDA7013", "Aggregate `Payments.Payment` of the baseline is now `Billing.Payment`, which emits its events"]]);
  });

  it("renames a context whose types stored event versions carry (payloads hold no type names), and refuses one whose aggregate's streams hold stored events, as the evolution gate does", async () => {
    await expect(client.request("textDocument/prepareRename", "common.eda", at("common.eda", "context Shared", 9))).resolves.toMatchObject({ placeholder: "Shared" });
    const edit = await client.request<WorkspaceEdit>("textDocument/rename", "payments.eda", at("payments.eda", "use Shared", 5), { newName: "Common" });
    expect(Object.keys(edit.changes ?? {}).length).toBeGreaterThan(1);
    // Its aggregate's streams are named by the context (`Ordering.Order-<orderId>`).
    await expect(client.request("textDocument/rename", "ordering.eda", at("ordering.eda", "context Ordering", 9), { newName: "Orders" })).rejects.toThrow(
      /`Ordering` is a context whose aggregate `Order` keeps the stored event `OrderPlaced`/,
    );
    // The same rename done by hand is one `eda check --against` lets pass: the stored shapes are the same.
    const files = (rename: boolean) => readdirShop().map((path) => ({ path, text: rename ? read(path).replace(/\bShared\b/g, "Common") : read(path) }));
    const renamed = compile(files(true), { parser });
    expect(renamed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const gate = compareModels(compile(files(false), { parser }).model, renamed.model);
    expect(gate.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("refuses an aggregate whose streams hold stored events, as the evolution gate would; one with v1 events only is renamed", async () => {
    await expect(client.request("textDocument/prepareRename", "ordering.eda", at("ordering.eda", "aggregate Order", 10))).rejects.toThrow(
      /^`Order` is an aggregate whose streams hold the stored event `OrderPlaced` \(it has more than one version, so events of it are stored\): a stream is named by the aggregate's qualified name and its stream field \(`Ordering\.Order-<orderId>`\)/,
    );
    // The same rename done by hand is what `eda check --against` rejects.
    const files = (rename: boolean) => readdirShop().map((path) => ({ path, text: rename ? read(path).replace(/\baggregate Order\b/, "aggregate Purchase") : read(path) }));
    const renamed = compile(files(true), { parser });
    expect(renamed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const gate = compareModels(compile(files(false), { parser }).model, renamed.model);
    expect(gate.filter((d) => d.severity === "error").map((d) => d.code)).toEqual(["EDA7013"]);
    // Payment's events are v1, not yet taken as stored.
    await expect(client.request("textDocument/prepareRename", "payments.eda", at("payments.eda", "aggregate Payment", 10))).resolves.toMatchObject({ placeholder: "Payment" });
  });

  it("refuses a stored event, saying why and offering a new version instead", async () => {
    const refused = client.request("textDocument/prepareRename", "ordering.eda", at("ordering.eda", "event OrderPlaced", 7));
    await expect(refused).rejects.toThrow(/`OrderPlaced` is a stored event .*declare a new version \(`event OrderPlaced v3`/);
    await expect(client.request("textDocument/rename", "checkout.eda", at("checkout.eda", "OrderPlaced"), { newName: "X" })).rejects.toThrow(/stored event/);
  });

  it("refuses a field of a stored event version, and a stream field that stored events carry", async () => {
    await expect(client.request("textDocument/rename", "ordering.eda", at("ordering.eda", "email: email"), { newName: "mail" })).rejects.toThrow(
      /`email` is a field of `OrderPlaced v1`, a stored event version.*`newName = from email`/,
    );
    await expect(client.request("textDocument/rename", "ordering.eda", at("ordering.eda", "stream orderId", 8), { newName: "id" })).rejects.toThrow(/OrderPlaced v2/);
  });

  it("refuses a field of a type that a stored event version carries, as the evolution gate would (not the type itself)", async () => {
    await expect(client.request("textDocument/rename", "common.eda", at("common.eda", "amountMinor"), { newName: "cents" })).rejects.toThrow(
      /`amountMinor` is a field of type `Money`, which the stored event `OrderPlaced v2` carries \(in `lines\.unitPrice`\)/,
    );
    // The type and the enum themselves may be renamed: a payload holds their fields and members, not their names.
    await expect(client.request("textDocument/prepareRename", "common.eda", at("common.eda", "type Money", 6))).resolves.toMatchObject({ placeholder: "Money" });
    await expect(client.request("textDocument/prepareRename", "common.eda", at("common.eda", "enum Currency", 6))).resolves.toMatchObject({ placeholder: "Currency" });
    // The same rename done by hand is what `eda check --against` rejects: the stored shape changed.
    const files = (rename: boolean) => readdirShop().map((path) => ({ path, text: rename ? read(path).replaceAll("amountMinor", "cents") : read(path) }));
    const gate = compareModels(compile(files(false), { parser }).model, compile(files(true), { parser }).model);
    expect(gate.map((d) => d.message).join("\n")).toContain("amountMinor");
    // A type no stored event carries can be renamed, and so can its fields.
    const common = `${read("common.eda")}\ntype Note { body: string }\n`;
    await client.open("common.eda", common);
    const edit = await client.request<WorkspaceEdit>("textDocument/rename", "common.eda", positionOf(common, "body"), { newName: "text" });
    expect(Object.values(edit.changes ?? {}).flat()).toHaveLength(1);
    await expect(client.request("textDocument/prepareRename", "common.eda", positionOf(common, "Note"))).resolves.toMatchObject({ placeholder: "Note" });
    await client.change("common.eda", read("common.eda"));
  });

  it("refuses a rename that would break the model, and a name that is not a name", async () => {
    await expect(client.request("textDocument/rename", "payments.eda", at("payments.eda", "command RefundPayment", 9), { newName: "ChargePayment" })).rejects.toThrow(/would break the model: `ChargePayment` is already declared/);
    await expect(client.request("textDocument/rename", "payments.eda", at("payments.eda", "command RefundPayment", 9), { newName: "2fast" })).rejects.toThrow(/is not a name/);
  });
});

describe("rename in a model that has errors", () => {
  it("refuses a name clash even when the rename also clears an error the model had", async () => {
    // `SettlePayment` has no handler (an error); renaming `RefundPayment` to it gives it one, and two declarations.
    const text = read("payments.eda").replace("command RefundPayment { orderId: uuid }", "command RefundPayment { orderId: uuid }\ncommand SettlePayment { orderId: uuid }");
    await client.open("payments.eda", text);
    try {
      const since = client.published.length;
      const shown = await client.diagnostics("payments.eda", (p) => p.diagnostics.length > 0, since);
      expect(shown.map((d) => d.code)).toEqual(["EDA4001"]);
      await expect(client.request("textDocument/rename", "payments.eda", positionOf(text, "command RefundPayment", 9), { newName: "SettlePayment" })).rejects.toThrow(/would break the model: `SettlePayment` is already declared/);
      // An error that only names the renamed declaration is the same error: the rename is not refused for it.
      const edit = await client.request<WorkspaceEdit>("textDocument/rename", "payments.eda", positionOf(text, "command SettlePayment", 9), { newName: "ReversePayment" });
      expect(Object.keys(edit.changes ?? {}).map((u) => u.split("/").pop())).toEqual(["payments.eda"]);
    } finally {
      await client.change("payments.eda", read("payments.eda"));
    }
  });
});

describe("rename with every event counted as stored", () => {
  it("refuses even a v1 event", async () => {
    const strict = await startClient(shopCopy(), { storedEvents: "all" });
    try {
      const text = readFileSync(join(strict.folder, "payments.eda"), "utf8");
      await expect(strict.request("textDocument/prepareRename", "payments.eda", positionOf(text, "event PaymentRefunded", 7))).rejects.toThrow(/every event counts as stored/);
      // Payment's streams hold its (stored) events: neither it nor its context is renamed.
      await expect(strict.request("textDocument/prepareRename", "payments.eda", positionOf(text, "aggregate Payment", 10))).rejects.toThrow(/^`Payment` is an aggregate whose streams hold the stored event `Payment\w+` \(every event counts as stored/);
      await expect(strict.request("textDocument/prepareRename", "payments.eda", positionOf(text, "context Payments", 9))).rejects.toThrow(
        /^`Payments` is a context whose aggregate `Payment` keeps the stored event `Payment\w+` in streams named `Payments\.Payment-<orderId>`/,
      );
      // Commands are not events: still renamed.
      const edit = await strict.request<WorkspaceEdit>("textDocument/rename", "payments.eda", positionOf(text, "command RefundPayment", 9), { newName: "ReturnPayment" });
      expect(Object.keys(edit.changes ?? {}).length).toBeGreaterThan(0);
    } finally {
      await strict.close();
    }
  });
});
