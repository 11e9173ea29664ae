/**
 * `eda lsp` over stdio against what editors and file systems do to it: line ends other than
 * `\n`, a document closed and opened again at once, files, configs and baselines changed behind
 * its back.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CompletionItem, Hover, TextEdit } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageText, positionOf, shopCopy, startClient, type TestClient } from "./client.js";

let client: TestClient;
let payments: string;
let common: string;

beforeAll(async () => {
  client = await startClient(shopCopy({ "extra.eda": "context Extra\ntype Bad { x: Nope }\n" }));
  payments = readFileSync(join(client.folder, "payments.eda"), "utf8");
  common = readFileSync(join(client.folder, "common.eda"), "utf8");
});
afterAll(() => client.close());

const watched = (file: string, type: 1 | 2 | 3) => client.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: client.uri(file), type }] });

describe("line ends", () => {
  it("counts a lone `\\r` as a line end, as the client does", async () => {
    const broken = payments.replace("amount: Money }", "amount: Mony }");
    const since = client.published.length;
    await client.open("payments.eda", broken.replace(/\n/g, "\r"));
    const [d] = await client.diagnostics("payments.eda", (p) => p.diagnostics.some((x) => messageText(x).includes("`Mony`")), since);
    const at = positionOf(broken, "Mony");
    expect(d?.range).toEqual({ start: at, end: { line: at.line, character: at.character + 4 } });
    const hover = await client.request<Hover | null>("textDocument/hover", "payments.eda", positionOf(broken, "ChargePayment", 2));
    expect(JSON.stringify(hover?.contents)).toContain("command Payments.ChargePayment");
  });

  it("completes in a document whose lines end with `\\r`", async () => {
    const at = payments.indexOf("stream orderId") + "stream ".length;
    const text = (payments.slice(0, at) + payments.slice(at + "orderId".length)).replace(/\n/g, "\r");
    await client.change("payments.eda", text);
    const items = await client.request<CompletionItem[] | null>("textDocument/completion", "payments.eda", positionOf(payments, "stream orderId", "stream ".length));
    expect((items ?? []).map((i) => i.label)).toEqual(["orderId"]);
  });

  it("formats a document whose lines end with `\\r` as it formats the same lines ending with `\\n`", async () => {
    // Not formatted (`stream  orderId`), with comments on lines of their own.
    const commented = payments.replace("aggregate Payment {\n  stream orderId", "// Who takes the money.\naggregate Payment {\n  // Keyed by order.\n  stream  orderId");
    await client.open("payments.eda", commented);
    const [lf] = (await client.request<TextEdit[] | null>("textDocument/formatting", "payments.eda", undefined, { options: { tabSize: 2, insertSpaces: true } })) ?? [];
    await client.change("payments.eda", commented.replace(/\n/g, "\r"));
    const [cr] = (await client.request<TextEdit[] | null>("textDocument/formatting", "payments.eda", undefined, { options: { tabSize: 2, insertSpaces: true } })) ?? [];
    expect(lf?.newText).toContain("  // Keyed by order.\n  stream orderId");
    expect(cr?.newText).toBe(lf?.newText);
    await client.change("payments.eda", payments);
  });

  it("counts `\\r\\n` as one line end", async () => {
    const crlf = payments.replace(/\n/g, "\r\n");
    await client.change("payments.eda", crlf);
    const at = positionOf(payments, "ChargePayment", 2);
    const hover = await client.request<Hover | null>("textDocument/hover", "payments.eda", at);
    expect(hover?.range).toEqual({ start: { line: at.line, character: 8 }, end: { line: at.line, character: 21 } });
    await client.change("payments.eda", payments);
  });
});

describe("long lines and long runs of blank lines", () => {
  it("completes in time linear in the text: no pattern backtracks over a run of word characters or blank lines", async () => {
    // Under eda.diagnostics.onSaveAbove, so checked as typed; a quadratic scan of either run takes tens of seconds.
    const pattern = "A".repeat(100_000);
    const text = `${payments}${"\n".repeat(100_000)}type Pad { p: string @pattern("${pattern}") @ }\n`;
    await client.open("payments.eda", text);
    const started = Date.now();
    const items = await client.request<CompletionItem[] | null>("textDocument/completion", "payments.eda", positionOf(text, "\") @", 4));
    expect(Date.now() - started).toBeLessThan(3000);
    expect((items ?? []).map((i) => i.label)).toContain("@maxLength");
    await client.change("payments.eda", payments);
  });
});

describe("documents", () => {
  it("keeps the text of a document closed and opened again at once", async () => {
    await client.open("common.eda");
    const since = client.published.length;
    await client.connection.sendNotification("textDocument/didClose", { textDocument: { uri: client.uri("common.eda") } });
    const reopened = `${common}\ntype Broken { x: Nope }\n`;
    await client.open("common.eda", reopened);
    const diagnostics = await client.diagnostics("common.eda", (p) => p.diagnostics.length > 0, since);
    expect(diagnostics.map((d) => d.range.start)).toEqual([positionOf(reopened, "Nope")]);
    const hover = await client.request<Hover | null>("textDocument/hover", "common.eda", positionOf(reopened, "Broken"));
    expect(JSON.stringify(hover?.contents)).toContain("Broken");
    await client.change("common.eda", common);
  });
});

describe("files changed on disk", () => {
  it("clears the diagnostics of a model file deleted on disk", async () => {
    expect(await client.diagnostics("extra.eda", (p) => p.diagnostics.length > 0)).toHaveLength(1);
    const since = client.published.length;
    unlinkSync(join(client.folder, "extra.eda"));
    await watched("extra.eda", 3);
    expect(await client.diagnostics("extra.eda", () => true, since)).toEqual([]);
  });

  it("clears the diagnostics of a config file deleted while invalid, and checks the files again", async () => {
    const config = readFileSync(join(client.folder, "eda.config.json"), "utf8");
    let since = client.published.length;
    writeFileSync(join(client.folder, "eda.config.json"), "{ nope");
    await watched("eda.config.json", 2);
    expect(await client.diagnostics("eda.config.json", (p) => p.diagnostics.length > 0, since)).not.toHaveLength(0);
    since = client.published.length;
    unlinkSync(join(client.folder, "eda.config.json"));
    await watched("eda.config.json", 3);
    expect(await client.diagnostics("eda.config.json", () => true, since)).toEqual([]);
    since = client.published.length;
    writeFileSync(join(client.folder, "eda.config.json"), config);
    await watched("eda.config.json", 1);
    await client.change("payments.eda", payments.replace("amount: Money }", "amount: Mony }"));
    expect(await client.diagnostics("payments.eda", (p) => p.diagnostics.length > 0, since)).toHaveLength(1);
    await client.change("payments.eda", payments);
  });
});

describe("a config nested deeper than a recursive parser goes", () => {
  it("shows what `eda check` says of it, as a diagnostic of the config", async () => {
    const config = readFileSync(join(client.folder, "eda.config.json"), "utf8");
    const since = client.published.length;
    writeFileSync(join(client.folder, "eda.config.json"), `{ "model": ["*.eda"], "x": ${"[".repeat(100_000)}${"]".repeat(100_000)} }`);
    await watched("eda.config.json", 2);
    const shown = await client.diagnostics("eda.config.json", (p) => p.diagnostics.length > 0, since);
    expect(shown.map(messageText)).toEqual([expect.stringMatching(/^unknown key "x"/)]);
    writeFileSync(join(client.folder, "eda.config.json"), config);
    await watched("eda.config.json", 2);
    expect(await client.diagnostics("eda.config.json", (p) => p.diagnostics.length === 0, since)).toEqual([]);
  });
});

describe("a config whose globs cannot be used", () => {
  it("is a problem of the config, and leaves the server serving: a config written right again is read, and edits are checked", async () => {
    const config = readFileSync(join(client.folder, "eda.config.json"), "utf8");
    await client.open("payments.eda", payments);
    // The glob library throws on a pattern of more than 65 536 characters (this reload failed, and every one after it).
    const before = client.published.length;
    writeFileSync(join(client.folder, "eda.config.json"), JSON.stringify({ model: ["*.eda", `${"a".repeat(70_000)}/*.eda`] }));
    await watched("eda.config.json", 2);
    const problems = await client.diagnostics("eda.config.json", (p) => p.diagnostics.length > 0, before);
    expect(problems.map(messageText)).toEqual([expect.stringMatching(/^"model" holds a glob that cannot be used: .*exceeds maximum allowed length/)]);
    const hover = await client.request<Hover | null>("textDocument/hover", "payments.eda", positionOf(payments, "ChargePayment", 2));
    expect(JSON.stringify(hover?.contents)).toContain("command Payments.ChargePayment");
    writeFileSync(join(client.folder, "eda.config.json"), config);
    await watched("eda.config.json", 2);
    const since = client.published.length;
    await client.change("payments.eda", payments.replace("amount: Money }", "amount: Mony }"));
    expect((await client.diagnostics("payments.eda", (p) => p.diagnostics.length > 0, since)).map((d) => d.code)).toEqual(["EDA2001"]);
    await client.change("payments.eda", payments);
  });
});

describe("a baseline folder changed on disk", () => {
  it("compares with the baseline's new text", async () => {
    const folder = shopCopy();
    mkdirSync(join(folder, "release1"));
    for (const f of readdirSync(folder).filter((f) => f.endsWith(".eda"))) cpSync(join(folder, f), join(folder, "release1", f));
    const config = JSON.parse(readFileSync(join(folder, "eda.config.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(join(folder, "eda.config.json"), JSON.stringify({ ...config, evolution: { against: "release1" } }));
    const baselined = await startClient(folder);
    try {
      expect(await baselined.diagnostics("payments.eda")).toEqual([]);
      // The release had a field that the model has since dropped: the gate must now say so.
      const text = readFileSync(join(folder, "payments.eda"), "utf8");
      writeFileSync(join(folder, "release1/payments.eda"), text.replace("event PaymentCaptured { orderId: uuid, amount: Money }", "event PaymentCaptured { orderId: uuid, amount: Money, note: string }"));
      const since = baselined.published.length;
      await baselined.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: baselined.uri("release1/payments.eda"), type: 2 }] });
      const diagnostics = await baselined.diagnostics("payments.eda", (p) => p.diagnostics.length > 0, since);
      expect(diagnostics.map((d) => d.code)).toEqual(["EDA7001"]);
    } finally {
      await baselined.close();
    }
  });
});

describe("a file that two configs select", () => {
  it("shows the diagnostics of the project that hover and definition answer from", async () => {
    // The root config selects every file, `sub`'s only its own: `sub/x.eda` is in both models.
    const folder = shopCopy({ "eda.config.json": JSON.stringify({ model: ["**/*.eda"] }) });
    mkdirSync(join(folder, "sub"));
    writeFileSync(join(folder, "sub/eda.config.json"), JSON.stringify({ model: ["*.eda"] }));
    writeFileSync(join(folder, "sub/x.eda"), "context X\n\nuse Shared\n\ntype A { m: Money }\n");
    const both = await startClient(folder);
    try {
      // In the root's model `Shared` exists; alone, `sub` has no such context. The load publishes
      // before the hover's answer (one pipe, in order), so every publish of the load is in by then.
      const hover = await both.request<Hover | null>("textDocument/hover", "sub/x.eda", { line: 4, character: 14 });
      expect(JSON.stringify(hover?.contents)).toContain("Shared.Money");
      expect(both.published.filter((p) => p.uri === both.uri("sub/x.eda")).map((p) => p.diagnostics.length)).toEqual([0]);
      const since = both.published.length;
      await both.open("sub/x.eda");
      await both.change("sub/x.eda", "context X\n\nuse Shared\n\ntype A { m: Mony }\n");
      const diagnostics = await both.diagnostics("sub/x.eda", (p) => p.diagnostics.length > 0, since);
      expect(diagnostics.map((d) => messageText(d).split("\n")[0])).toEqual(["Nothing in this file uses a name from `Shared`.", "I cannot find a declaration named `Mony`."]);
    } finally {
      await both.close();
    }
  });
});

describe("a named pipe named like a model file", () => {
  it("is not read (reading it would wait forever): the workspace loads and is checked", async () => {
    const folder = shopCopy();
    execFileSync("mkfifo", [join(folder, "pipe.eda")]);
    const c = await startClient(folder);
    try {
      const broken = readFileSync(join(folder, "payments.eda"), "utf8").replace("amount: Money }", "amount: Mony }");
      await c.open("payments.eda", broken);
      const shown = await c.diagnostics("payments.eda", (p) => p.diagnostics.length > 0);
      expect(shown.map((d) => d.message).join("\n")).toContain("`Mony`");
      // Declarations of other files are known: the whole workspace was loaded.
      const hover = await c.request<Hover | null>("textDocument/hover", "payments.eda", positionOf(broken, "use Shared", 5));
      expect(JSON.stringify(hover)).toContain("Shared");
    } finally {
      await c.close();
    }
  });
});
