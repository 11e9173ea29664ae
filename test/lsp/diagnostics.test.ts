/**
 * `eda lsp` over stdio: diagnostics as you type, the same as `eda check` reports; config errors;
 * edits that arrive faster than checks; ```eda fences in Markdown.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEda } from "../cli/helpers.js";
import { shopCopy, startClient, type TestClient } from "./client.js";

const SHOP_FILES = ["checkout.eda", "common.eda", "fulfilment.eda", "notifications.eda", "ordering.eda", "payments.eda", "shipping.eda"];

describe("diagnostics on the shop", () => {
  let client: TestClient;
  let ordering: string;
  beforeAll(async () => {
    client = await startClient(shopCopy());
    ordering = readFileSync(join(client.folder, "ordering.eda"), "utf8");
  });
  afterAll(() => client.close());

  it("are published for every model file when the workspace loads, and the shop has none", async () => {
    for (const file of SHOP_FILES) expect(await client.diagnostics(file), file).toEqual([]);
  });

  it("appear as you type, with the codes, messages, hints, positions and related spans of `eda check`", async () => {
    await client.open("ordering.eda");
    const broken = ordering.replace("on ConfirmOrder emits", "on ConfirmOrdr emits").replace("total?: Money", "total?: Mony");
    const version = await client.change("ordering.eda", broken);
    const published = await client.diagnostics("ordering.eda", (p) => p.version === version);
    // The same text on disk, checked by the CLI.
    writeFileSync(join(client.folder, "ordering.eda"), broken);
    const run = await runEda(["check", "--format", "json"], client.folder);
    writeFileSync(join(client.folder, "ordering.eda"), ordering);
    const report = JSON.parse(run.stdout) as { diagnostics: { code: string; severity: string; message: string; hint: string | null; file: string; start: { line: number; column: number }; end: { line: number; column: number }; labels: { message: string }[] }[] };
    const expected = report.diagnostics
      .filter((d) => d.file === "ordering.eda")
      .map((d) => ({
        code: d.code,
        severity: d.severity === "error" ? 1 : 2,
        message: d.hint ? `${d.message}\n${d.hint}` : d.message,
        range: { start: { line: d.start.line - 1, character: d.start.column - 1 }, end: { line: d.end.line - 1, character: d.end.column - 1 } },
        related: d.labels.map((l) => l.message),
      }));
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect(published.map((d) => ({ code: d.code, severity: d.severity, message: d.message, range: d.range, related: (d.relatedInformation ?? []).map((r) => r.message) }))).toEqual(expected);
    expect(published.map((d) => d.message).join("\n")).toContain("Did you mean `ConfirmOrder`?");
    // The command nobody handles now is in another place of the same file.
    expect(published.some((d) => d.code === "EDA4001")).toBe(true);
  });

  it("reach other files of the model that an edit breaks", async () => {
    const renamed = ordering.replace("event OrderConfirmed {", "event OrderWasConfirmed {").replace("emits OrderConfirmed", "emits OrderWasConfirmed");
    const since = client.published.length;
    await client.change("ordering.eda", renamed);
    const fulfilmentOk = await client.diagnostics("ordering.eda", () => true, since);
    expect(fulfilmentOk.filter((d) => d.severity === 1)).toEqual([]);
    const broken = ordering.replace("event OrderPlaced v2 {", "event OrderPlacedNow v2 {").replace("event OrderPlaced v1 {", "event OrderPlacedNow v1 {");
    await client.change("ordering.eda", broken);
    const checkout = await client.diagnostics("checkout.eda", (p) => p.diagnostics.length > 0);
    expect(checkout.map((d) => d.code)).toContain("EDA2001");
    const notifications = await client.diagnostics("notifications.eda", (p) => p.diagnostics.length > 0);
    expect(notifications.map((d) => d.message).join("\n")).toContain("`OrderPlaced`");
    // Fixing it clears them.
    await client.change("ordering.eda", ordering);
    expect(await client.diagnostics("checkout.eda", (p) => p.diagnostics.length === 0)).toEqual([]);
  });

  it("of edits that arrive faster than checks: only the newest text's are published, versions never go back", async () => {
    const since = client.published.length;
    let last = 0;
    for (let i = 0; i < 40; i++) {
      const text = i % 2 === 0 ? ordering.replace("on PlaceOrder emits", "on PlaceOrdr emits") : ordering;
      last = await client.change("ordering.eda", i === 39 ? ordering.replace("stream orderId", "stream orderIdd") : text);
    }
    const final = await client.diagnostics("ordering.eda", (p) => p.version === last, since);
    expect(final.map((d) => d.code)).toContain("EDA4005");
    expect(final.map((d) => d.code)).not.toContain("EDA2001");
    const versions = client.published.slice(since).filter((p) => p.uri === client.uri("ordering.eda")).map((p) => p.version ?? 0);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    // Checks were coalesced: far fewer publications than edits.
    expect(versions.length).toBeLessThan(20);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.published.slice(since).filter((p) => p.uri === client.uri("ordering.eda")).at(-1)?.version).toBe(last);
  });
});

describe("diagnostics of eda.config.json", () => {
  it("are published on the config file, with the messages `eda check` prints", async () => {
    const folder = shopCopy({ "eda.config.json": '{\n  "model": ["*.eda"],\n  "outt": "generated"\n}\n' });
    const client = await startClient(folder);
    try {
      const diagnostics: Diagnostic[] = await client.diagnostics("eda.config.json", (p) => p.diagnostics.length > 0);
      const run = await runEda(["check"], folder);
      expect(run.stderr).toContain('unknown key "outt" (did you mean "out"?)');
      expect(diagnostics).toEqual([expect.objectContaining({ severity: 1, range: { start: { line: 2, character: 2 }, end: { line: 2, character: 8 } } })]);
      expect(diagnostics[0]?.message).toContain('unknown key "outt" (did you mean "out"?)');
      // The model's files are still checked, as the loose files of the folder.
      expect(await client.diagnostics("ordering.eda")).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it("report invalid JSON at its place", async () => {
    const client = await startClient(shopCopy({ "eda.config.json": '{ "model": ["*.eda"], }' }));
    try {
      const diagnostics = await client.diagnostics("eda.config.json", (p) => p.diagnostics.length > 0);
      expect(diagnostics[0]?.message).toMatch(/^invalid JSON/);
      expect(diagnostics[0]?.range.start).toEqual({ line: 0, character: 22 });
    } finally {
      await client.close();
    }
  });
});

describe("```eda fences in Markdown", () => {
  it("get their syntax errors, placed in the Markdown text", async () => {
    const client = await startClient(shopCopy());
    try {
      const md = "# Notes\n\n```eda\ncommand Pay {\n  amount: int @min(1\n}\n```\n\n```ts\nnot eda\n```\n";
      await client.open("notes.md", md);
      const diagnostics = await client.diagnostics("notes.md", (p) => p.diagnostics.length > 0);
      expect(diagnostics.length).toBeGreaterThan(0);
      expect(diagnostics[0]?.range.start.line).toBeGreaterThanOrEqual(3);
      expect(diagnostics[0]?.range.start.line).toBeLessThanOrEqual(5);
      await client.change("notes.md", md.replace("@min(1\n", "@min(1)\n"));
      expect(await client.diagnostics("notes.md", (p) => p.version === 2)).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it("are found with CRLF and lone CR line ends, their errors on the same lines", async () => {
    const client = await startClient(shopCopy());
    try {
      const md = "# Notes\n\n```eda\ncommand Pay {\n  amount: int @min(1\n}\n```\n";
      const expected = await (async () => {
        await client.open("lf.md", md);
        return (await client.diagnostics("lf.md", (p) => p.diagnostics.length > 0)).map((d) => [d.code, d.range]);
      })();
      expect(expected.length).toBeGreaterThan(0);
      for (const [name, end] of [["crlf.md", "\r\n"], ["cr.md", "\r"]] as const) {
        await client.open(name, md.replaceAll("\n", end));
        const found = await client.diagnostics(name, (p) => p.diagnostics.length > 0);
        expect(found.map((d) => [d.code, { start: { line: d.range.start.line }, end: { line: d.range.end.line } }])).toEqual(expected.map(([code, range]) => [code, { start: { line: (range as { start: { line: number } }).start.line }, end: { line: (range as { end: { line: number } }).end.line } }]));
      }
    } finally {
      await client.close();
    }
  });
});
