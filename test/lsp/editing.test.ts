/**
 * `eda lsp` over stdio: completion by position, symbols, folding, formatting and code actions,
 * on the shop and on broken variants of it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createParser, compile, formatSource } from "@eda/language";
import type { CodeAction, CompletionItem, DocumentSymbol, FoldingRange, TextEdit, WorkspaceSymbol } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { positionOf, shopCopy, startClient, type TestClient } from "./client.js";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

let client: TestClient;
const FILES = ["checkout.eda", "common.eda", "fulfilment.eda", "notifications.eda", "ordering.eda", "payments.eda", "shipping.eda"] as const;
type ShopFile = (typeof FILES)[number];
/** The shop's files as the client opened them (filled before the first test). */
const shop = {} as Record<ShopFile, string>;

beforeAll(async () => {
  client = await startClient(shopCopy());
  for (const f of FILES) shop[f] = readFileSync(join(client.folder, f), "utf8");
});
afterAll(() => client.close());

/** Sets `file`'s text to `withCursor` without its `‸`, asks for completions there, then restores the file. */
async function complete(file: ShopFile, withCursor: string): Promise<string[]> {
  const at = withCursor.indexOf("‸");
  const text = withCursor.replace("‸", "");
  await client.change(file, text);
  const before = text.slice(0, at);
  const position = { line: before.split("\n").length - 1, character: before.length - before.lastIndexOf("\n") - 1 };
  const items = await client.request<CompletionItem[] | null>("textDocument/completion", file, position);
  await client.change(file, shop[file]);
  return (items ?? []).map((i) => i.label);
}

describe("completion", () => {
  beforeAll(() => client.open("payments.eda"));

  it("offers types (built-in, own, used and qualified) after a field's colon", async () => {
    const labels = await complete("payments.eda", shop["payments.eda"].replace("amount: Money }", "amount: M‸ }"));
    expect(labels).toEqual(expect.arrayContaining(["int", "uuid", "map", "Money", "Currency", "Ordering.OrderLine"]));
    expect(labels).not.toContain("ChargePayment");
  });

  it("offers decorators with their arguments after `@`", async () => {
    const labels = await complete("payments.eda", shop["payments.eda"].replace("amount: Money }", "amount: Money @‸ }"));
    expect(labels).toEqual(expect.arrayContaining(["@min", "@max", "@pattern", "@pii", "@deprecated"]));
  });

  it("offers commands after `on` and events after `emits` in an aggregate, and its clause keywords", async () => {
    expect(await complete("payments.eda", shop["payments.eda"].replace("  on RefundPayment emits", "  on R‸ emits"))).toEqual(expect.arrayContaining(["RefundPayment", "ChargePayment"]));
    const events = await complete("payments.eda", shop["payments.eda"].replace("emits PaymentRefunded", "emits P‸"));
    expect(events).toEqual(expect.arrayContaining(["PaymentRefunded", "PaymentCaptured"]));
    expect(events).not.toContain("RefundPayment");
    expect(await complete("payments.eda", shop["payments.eda"].replace("  stream orderId\n", "  stream orderId\n  s‸\n"))).toEqual(expect.arrayContaining(["stream", "state", "on", "snapshot every"]));
  });

  it("offers the fields every handled command carries after `stream`", async () => {
    expect(await complete("payments.eda", shop["payments.eda"].replace("stream orderId", "stream ‸"))).toEqual(["orderId"]);
  });

  it("offers fields in mappings: the command's as targets, the start event's as sources", async () => {
    await client.open("checkout.eda");
    const targets = await complete("checkout.eda", shop["checkout.eda"].replace("send ChargePayment { amount = total }", "send ChargePayment { a‸ }"));
    expect(targets).toEqual(["orderId", "amount"]);
    const sources = await complete("checkout.eda", shop["checkout.eda"].replace("{ amount = total }", "{ amount = t‸ }"));
    expect(sources).toEqual(expect.arrayContaining(["total", "orderId", "contactEmail", "compute"]));
    await client.change("checkout.eda", shop["checkout.eda"]);
  });

  it("offers the fields of the new version in an upcast rule, and of the old one after `from`", async () => {
    await client.open("ordering.eda");
    const rule = await complete("ordering.eda", shop["ordering.eda"].replace("  lines = []\n", "  lines = []\n  c‸\n"));
    expect(rule).toEqual(expect.arrayContaining(["contactEmail", "total", "lines"]));
    const old = await complete("ordering.eda", shop["ordering.eda"].replace("contactEmail = from email", "contactEmail = from e‸"));
    expect(old).toEqual(expect.arrayContaining(["email", "totalCents"]));
    expect(old).not.toContain("contactEmail");
  });

  it("offers declaration keywords at the top level, and events after `from` in a projection", async () => {
    expect(await complete("ordering.eda", `${shop["ordering.eda"]}\nev‸`)).toEqual(expect.arrayContaining(["event", "command", "projection", "workflow"]));
    expect(await complete("ordering.eda", shop["ordering.eda"].replace("from OrderPlaced, OrderCancelled", "from OrderPlaced, O‸"))).toEqual(expect.arrayContaining(["OrderCancelled", "OrderConfirmed"]));
    await client.change("ordering.eda", shop["ordering.eda"]);
  });
});

describe("symbols, folding and formatting", () => {
  it("outline a file with its declarations and their members", async () => {
    const symbols = await client.request<DocumentSymbol[]>("textDocument/documentSymbol", "payments.eda");
    expect(symbols.map((s) => s.name)).toEqual(["ChargePayment", "RefundPayment", "PaymentCaptured", "PaymentDeclined", "PaymentRefunded", "Payment"]);
    expect(symbols.at(-1)?.children?.map((c) => c.name)).toEqual(["captured", "on ChargePayment", "on RefundPayment"]);
  });

  it("find declarations of the whole workspace by name", async () => {
    const found = await client.connection.sendRequest<WorkspaceSymbol[]>("workspace/symbol", { query: "ordpl" });
    expect(found.map((s) => `${s.containerName}.${s.name}`)).toEqual(["Ordering.OrderPlaced"]);
  });

  it("fold declarations and blocks", async () => {
    const ranges = await client.request<FoldingRange[]>("textDocument/foldingRange", "payments.eda");
    expect(ranges).toEqual(expect.arrayContaining([{ startLine: 12, endLine: 19 }, { startLine: 14, endLine: 16 }]));
  });

  it("formats a document as `eda fmt` does, and leaves a broken one alone", async () => {
    const messy = shop["payments.eda"].replace("command RefundPayment { orderId: uuid }", "command   RefundPayment {orderId:uuid}");
    await client.change("payments.eda", messy);
    const edits = await client.request<TextEdit[]>("textDocument/formatting", "payments.eda", undefined, { options: { tabSize: 2, insertSpaces: true } });
    expect(edits).toHaveLength(1);
    expect(edits[0]?.newText).toBe((formatSource({ path: "p.eda", text: messy }, parser) as { text: string }).text);
    await client.change("payments.eda", `${messy}\ncommand {`);
    expect(await client.request<TextEdit[]>("textDocument/formatting", "payments.eda", undefined, { options: { tabSize: 2, insertSpaces: true } })).toEqual([]);
    await client.change("payments.eda", shop["payments.eda"]);
  });
});

/** The actions at the first place `needle` is found in `file` (whose text is `text`). */
async function actionsAt(file: string, text: string, needle: string, offset = 1): Promise<CodeAction[]> {
  const start = positionOf(text, needle, offset);
  return client.request<CodeAction[]>("textDocument/codeAction", file, undefined, { range: { start, end: start }, context: { diagnostics: [] } });
}
/** The text of `file` after applying an action's edit to `text`. */
function applied(action: CodeAction | undefined, file: string, text: string): string {
  const edits = action?.edit?.changes?.[client.uri(file)] ?? [];
  const lines = text.split("\n");
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  let out = text;
  for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
function errorsOf(file: string, text: string): string[] {
  const files = FILES.map((f) => ({ path: f, text: f === file ? text : shop[f] }));
  return compile(files, { parser }).diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
}

describe("code actions", () => {
  it("apply a did-you-mean hint", async () => {
    const broken = shop["payments.eda"].replace("emits PaymentRefunded", "emits PaymentRefundd");
    await client.change("payments.eda", broken);
    const actions = await actionsAt("payments.eda", broken, "PaymentRefundd");
    const fix = actions.find((a) => a.title === "Change to `PaymentRefunded`");
    expect(fix?.kind).toBe("quickfix");
    expect(applied(fix, "payments.eda", broken)).toBe(shop["payments.eda"]);
  });

  it("add the missing handler line to an aggregate", async () => {
    const broken = shop["payments.eda"].replace("  on RefundPayment emits PaymentRefunded\n", "");
    await client.change("payments.eda", broken);
    const actions = await actionsAt("payments.eda", broken, "command RefundPayment", 9);
    const fix = actions.find((a) => a.title.startsWith("Handle `RefundPayment` in aggregate `Payment`"));
    expect(fix?.title).toContain("emits `PaymentRefunded`");
    const text = applied(fix, "payments.eda", broken);
    expect(text).toContain("  on RefundPayment emits PaymentRefunded\n}");
    expect(errorsOf("payments.eda", text)).toEqual([]);
  });

  it("add the upcast skeleton when a new event version is declared", async () => {
    const v2 = shop["payments.eda"].replace("event PaymentDeclined { orderId: uuid, reason: string }", "event PaymentDeclined { orderId: uuid, reason: string }\nevent PaymentDeclined v2 { orderId: uuid, cause: string, code: int }");
    await client.change("payments.eda", v2);
    const actions = await actionsAt("payments.eda", v2, "event PaymentDeclined {", 7);
    const fix = actions.find((a) => a.title === "Add `upcast PaymentDeclined v1 -> v2`");
    const text = applied(fix, "payments.eda", v2);
    expect(text).toContain("upcast PaymentDeclined v1 -> v2 {\n  cause = from reason\n  code = compute\n}");
    expect(errorsOf("payments.eda", text)).toEqual([]);
  });

  it("scaffold a projection's `from` for an unprojected event, or a new projection", async () => {
    await client.open("ordering.eda");
    await client.change("ordering.eda", shop["ordering.eda"]);
    const actions = await actionsAt("ordering.eda", shop["ordering.eda"], "event OrderConfirmed", 7);
    expect(actions.map((a) => a.title)).toContain("Create a projection of `OrderConfirmed`");
    const cancelled = shop["ordering.eda"].replace("from OrderPlaced, OrderCancelled", "from OrderPlaced");
    await client.change("ordering.eda", cancelled);
    const more = await actionsAt("ordering.eda", cancelled, "event OrderCancelled", 7);
    const fix = more.find((a) => a.title === "Project `OrderCancelled` in `CustomerOrders`");
    expect(applied(fix, "ordering.eda", cancelled)).toBe(shop["ordering.eda"]);
    await client.change("ordering.eda", shop["ordering.eda"]);
  });

  it("declare a new version of an event with its upcast (the way to change a stored event)", async () => {
    const actions = await actionsAt("payments.eda", shop["payments.eda"], "event PaymentRefunded", 7);
    await client.change("payments.eda", shop["payments.eda"]);
    const fix = (await actionsAt("payments.eda", shop["payments.eda"], "event PaymentRefunded", 7)).find((a) => a.title.startsWith("Add a new version of `PaymentRefunded`"));
    expect(actions.length).toBeGreaterThan(0);
    const text = applied(fix, "payments.eda", shop["payments.eda"]);
    expect(text).toContain("event PaymentRefunded v2 {\n  orderId: uuid\n}\n\nupcast PaymentRefunded v1 -> v2 {\n}");
    expect(errorsOf("payments.eda", text)).toEqual([]);
  });
});
