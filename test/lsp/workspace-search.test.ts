/**
 * `eda lsp` in a folder too large to search whole (a home folder, `/`): the search stops after
 * `EDA_LSP_SCAN_LIMIT` folders and says so once, and the documents opened are served all the same;
 * and while a search is still running, the open documents are served on their own, then in their
 * project once it ends.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hover, SymbolInformation } from "vscode-languageserver-protocol";
import { afterAll, describe, expect, it } from "vitest";
import { messageText, positionOf, shopCopy, startClient, type TestClient } from "./client.js";

const clients: TestClient[] = [];
afterAll(async () => {
  for (const c of clients) await c.close();
});

const symbols = (client: TestClient, query: string) => client.connection.sendRequest<SymbolInformation[] | null>("workspace/symbol", { query });

describe("a folder with more folders than the search reads", () => {
  it("is searched up to the limit, the user is told once, and an open document beyond it is still checked", async () => {
    const folder = mkdtempSync(join(tmpdir(), "eda-lsp-"));
    // Breadth first, in name order: the workspace folder, then d00 to d29; z/ and z/y are never read.
    writeFileSync(join(folder, "a.eda"), "context Near\n\ntype Near { x: string }\n");
    for (let i = 0; i < 30; i++) mkdirSync(join(folder, `d${String(i).padStart(2, "0")}`));
    mkdirSync(join(folder, "z", "y"), { recursive: true });
    writeFileSync(join(folder, "z", "y", "far.eda"), "context Far\n\ntype Far { x: string }\n");
    const open = "context Open\n\ntype Bad { x: Nope }\n";
    writeFileSync(join(folder, "z", "y", "open.eda"), open);
    const client = await startClient(folder, {}, { EDA_LSP_SCAN_LIMIT: "5" });
    clients.push(client);

    await expect.poll(() => client.messages, { timeout: 20_000 }).toEqual([expect.stringContaining(`eda: stopped looking for .eda files in ${folder} after 5 folders`)]);
    // The files found are loaded (their diagnostics published), the file beyond the limit is not.
    expect(await client.diagnostics("a.eda")).toEqual([]);
    expect((await symbols(client, "Near"))?.map((s) => s.name)).toContain("Near");
    expect(await symbols(client, "Far")).toEqual([]);

    await client.open("z/y/open.eda");
    const [d] = await client.diagnostics("z/y/open.eda", (p) => p.diagnostics.length > 0);
    expect(messageText(d as never)).toContain("`Nope`");
    const hover = await client.request<Hover | null>("textDocument/hover", "z/y/open.eda", positionOf(open, "Bad"));
    expect(JSON.stringify(hover?.contents)).toContain("Bad");

    // A file created makes the server search again: it stops again, and says nothing more.
    const since = client.published.length;
    writeFileSync(join(folder, "b.eda"), "context B\n\ntype B { x: Nope }\n");
    await client.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: client.uri("b.eda"), type: 1 }] });
    expect(await client.diagnostics("b.eda", (p) => p.diagnostics.length > 0, since)).toHaveLength(1);
    expect(client.messages).toHaveLength(1);
  });
});

describe("a search that has not ended", () => {
  it("does not hold back the open documents: each is checked on its own, then in its project when the search ends", async () => {
    const resume = join(mkdtempSync(join(tmpdir(), "eda-resume-")), "go");
    // No config: a document with one above it is checked in its project at once (project-above.test.ts).
    const folder = shopCopy();
    rmSync(join(folder, "eda.config.json"));
    const client = await startClient(folder, {}, { EDA_TEST_PAUSE_AT: "lsp-scan", EDA_TEST_RESUME_WHEN: resume });
    clients.push(client);
    try {
      await client.open("payments.eda");
      // On its own, payments.eda cannot see the context it uses (`use Shared`, in common.eda).
      const alone = await client.diagnostics("payments.eda", (p) => p.diagnostics.length > 0);
      expect(alone.map(messageText).join("\n")).toContain("Shared");
      expect(client.published.some((p) => p.uri === client.uri("ordering.eda"))).toBe(false);
      const payments = readFileSync(join(client.folder, "payments.eda"), "utf8");
      const hover = await client.request<Hover | null>("textDocument/hover", "payments.eda", positionOf(payments, "ChargePayment", 2));
      expect(JSON.stringify(hover?.contents)).toContain("ChargePayment");

      const since = client.published.length;
      writeFileSync(resume, "");
      expect(await client.diagnostics("payments.eda", () => true, since)).toEqual([]);
      expect(await client.diagnostics("ordering.eda", () => true, since)).toEqual([]);
    } finally {
      rmSync(join(resume, ".."), { recursive: true, force: true });
    }
  });
});
