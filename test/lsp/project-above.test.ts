/**
 * `eda lsp` and a document that belongs to no project the search found — opened with no
 * workspace folder, or outside the folders: the server looks for the nearest `eda.config.json`
 * above it and, when its model includes the document, checks the document in that project.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Location, SymbolInformation } from "vscode-languageserver-protocol";
import { afterEach, describe, expect, it } from "vitest";
import { messageText, positionOf, startClient, type TestClient } from "./client.js";

const SHARED = "context Shared\n\ntype Money { amountMinor: int }\n";
const BILLING = "context Billing\n\nuse Shared\n\ntype Invoice { total: Money }\n";
const CONFIG = '{ "model": ["model/*.eda"] }\n';

/** A fresh folder holding `files` (path → text). */
function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "eda-lsp-above-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

let client: TestClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

const symbols = (c: TestClient, query: string) => c.connection.sendRequest<SymbolInformation[] | null>("workspace/symbol", { query });
const closeDocument = (c: TestClient, file: string) => c.connection.sendNotification("textDocument/didClose", { textDocument: { uri: c.uri(file) } });
const changedOnDisk = (c: TestClient, file: string, text: string, type: 1 | 2 | 3 = 2) => {
  writeFileSync(join(c.folder, file), text);
  return c.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: c.uri(file), type }] });
};
const mentionsShared = (p: { diagnostics: { message: unknown }[] }) => p.diagnostics.some((d) => String(d.message).includes("Shared"));

describe("a document opened with no workspace folder", () => {
  it("is checked in the project of the eda.config.json above it, which follows changes on disk", async () => {
    client = await startClient(folderWith({ "eda.config.json": CONFIG, "model/shared.eda": SHARED, "model/billing.eda": BILLING }), {}, {}, { workspaceFolders: [] });
    await client.open("model/billing.eda");
    // Alone, `use Shared` and `Money` would be errors: clean only once the project is loaded.
    expect(await client.diagnostics("model/billing.eda", (p) => p.diagnostics.length === 0)).toEqual([]);
    expect(await client.diagnostics("model/shared.eda")).toEqual([]);
    const definition = await client.request<Location[] | Location | null>("textDocument/definition", "model/billing.eda", positionOf(BILLING, "Money"));
    expect(JSON.stringify(definition)).toContain(client.uri("model/shared.eda"));

    // A file of the project changed on disk.
    let since = client.published.length;
    await changedOnDisk(client, "model/shared.eda", SHARED.replace("Money", "Cash"));
    const broken = await client.diagnostics("model/billing.eda", (p) => p.diagnostics.length > 0, since);
    expect(broken.map(messageText).join("\n")).toContain("`Money`");
    since = client.published.length;
    await changedOnDisk(client, "model/shared.eda", SHARED);
    expect(await client.diagnostics("model/billing.eda", (p) => p.diagnostics.length === 0, since)).toEqual([]);

    // Its config changed: shared.eda leaves the project (its diagnostics are cleared), billing.eda stays.
    since = client.published.length;
    await changedOnDisk(client, "eda.config.json", '{ "model": ["model/billing.eda"] }\n');
    expect(await client.diagnostics("model/billing.eda", mentionsShared, since)).not.toEqual([]);
    expect(await client.diagnostics("model/shared.eda", () => true, since)).toEqual([]);
    expect(await symbols(client, "Money")).toEqual([]);
  });

  it("whose config does not select it stays on its own", async () => {
    const folder = folderWith({
      "p/eda.config.json": '{ "model": ["other/*.eda"] }\n',
      "p/other/thing.eda": "context Other\n\ntype Thing { x: string }\n",
      "p/model/shared.eda": SHARED,
      "p/model/billing.eda": BILLING,
      "q/eda.config.json": '{ "model": ["*.eda"] }\n',
      "q/shared.eda": SHARED,
      "q/billing.eda": BILLING,
    });
    client = await startClient(folder, {}, {}, { workspaceFolders: [] });
    await client.open("p/model/billing.eda");
    await client.open("q/billing.eda");
    // Projects are looked for in the order the documents were opened: q's is loaded after p's was looked for.
    expect(await client.diagnostics("q/billing.eda", (p) => p.diagnostics.length === 0)).toEqual([]);
    expect(await client.diagnostics("p/model/billing.eda", (p) => p.diagnostics.length > 0)).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining("Shared") })]));
    expect(await symbols(client, "Thing")).toEqual([]);
    expect((await symbols(client, "Money"))?.map((s) => s.location.uri)).toEqual([client.uri("q/shared.eda")]);
  });

  it("below an invalid config is checked on its own, and the config's problem is shown", async () => {
    client = await startClient(folderWith({ "eda.config.json": '{ "model": ["model/*.eda"], }', "model/shared.eda": SHARED, "model/billing.eda": BILLING }), {}, {}, { workspaceFolders: [] });
    await client.open("model/billing.eda");
    const [problem] = await client.diagnostics("eda.config.json", (p) => p.diagnostics.length > 0);
    expect(problem?.message).toMatch(/^invalid JSON/);
    expect(await client.diagnostics("model/billing.eda", mentionsShared)).not.toEqual([]);
    // Closing the document forgets the config.
    const since = client.published.length;
    await closeDocument(client, "model/billing.eda");
    expect(await client.diagnostics("eda.config.json", () => true, since)).toEqual([]);
  });

  it("takes its project with it when it is closed", async () => {
    const shared = `${SHARED}\ntype Bad { x: Nope }\n`;
    client = await startClient(folderWith({ "eda.config.json": CONFIG, "model/shared.eda": shared, "model/billing.eda": BILLING }), {}, {}, { workspaceFolders: [] });
    await client.open("model/billing.eda");
    expect(await client.diagnostics("model/billing.eda", (p) => p.diagnostics.length === 0)).toEqual([]);
    expect(await client.diagnostics("model/shared.eda", (p) => p.diagnostics.length > 0)).toHaveLength(1);
    const since = client.published.length;
    await closeDocument(client, "model/billing.eda");
    expect(await client.diagnostics("model/shared.eda", () => true, since)).toEqual([]);
    expect(await client.diagnostics("model/billing.eda", () => true, since)).toEqual([]);
    expect(await symbols(client, "Money")).toEqual([]);
  });
});

describe("a project found above a document, with a client that can watch any folder", () => {
  it("has its folder watched while it is kept", async () => {
    const capabilities = { workspace: { didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true } } };
    client = await startClient(folderWith({ "eda.config.json": CONFIG, "model/shared.eda": SHARED, "model/billing.eda": BILLING }), {}, {}, { workspaceFolders: [], capabilities });
    const registered: { id: string; registerOptions?: unknown }[] = [];
    const unregistered: string[] = [];
    client.connection.onRequest("client/registerCapability", (p: { registrations: { id: string; registerOptions?: unknown }[] }) => void registered.push(...p.registrations));
    client.connection.onRequest("client/unregisterCapability", (p: { unregisterations: { id: string }[] }) => void unregistered.push(...p.unregisterations.map((u) => u.id)));
    await client.open("model/billing.eda");
    await expect.poll(() => registered, { timeout: 20_000 }).toHaveLength(1);
    expect(registered[0]?.registerOptions).toEqual({ watchers: [{ globPattern: { baseUri: pathToFileURL(client.folder).href, pattern: "**/{*.eda,eda.config.json}" } }] });
    await closeDocument(client, "model/billing.eda");
    await expect.poll(() => unregistered, { timeout: 20_000 }).toEqual([registered[0]?.id]);
  });
});

describe("a document outside the workspace folders", () => {
  it("keeps the project found above it when the workspace is searched again", async () => {
    const folder = folderWith({ "ws/loose.eda": "context Loose\n\ntype L { x: string }\n", "proj/eda.config.json": CONFIG, "proj/model/shared.eda": SHARED, "proj/model/billing.eda": BILLING });
    client = await startClient(folder, {}, {}, { workspaceFolders: ["ws"] });
    expect(await client.diagnostics("ws/loose.eda")).toEqual([]);
    await client.open("proj/model/billing.eda");
    expect(await client.diagnostics("proj/model/billing.eda", (p) => p.diagnostics.length === 0)).toEqual([]);

    // A file created in the workspace folder: the server searches it again and loads what it found.
    const since = client.published.length;
    await changedOnDisk(client, "ws/new.eda", "context New\n\ntype N { x: Nope }\n", 1);
    expect(await client.diagnostics("ws/new.eda", (p) => p.diagnostics.length > 0, since)).toHaveLength(1);
    // An edit after that reload is still checked in the project: `Money` is found.
    const version = await client.change("proj/model/billing.eda", `${BILLING}\ntype Receipt { paid: Money }\n`);
    expect(await client.diagnostics("proj/model/billing.eda", (p) => p.version === version)).toEqual([]);
    expect((await symbols(client, "Money"))?.map((s) => s.location.uri)).toEqual([client.uri("proj/model/shared.eda")]);
  });
});

describe("a project found above a document while the search has not ended", () => {
  it("is the project the search then finds: loaded once", async () => {
    const resume = join(mkdtempSync(join(tmpdir(), "eda-resume-")), "go");
    const files = { "eda.config.json": CONFIG, "model/shared.eda": SHARED, "model/billing.eda": BILLING, "notes/loose.eda": "context Loose\n\ntype L { x: Nope }\n" };
    client = await startClient(folderWith(files), {}, { EDA_TEST_PAUSE_AT: "lsp-scan", EDA_TEST_RESUME_WHEN: resume });
    try {
      await client.open("model/billing.eda");
      expect(await client.diagnostics("model/billing.eda", (p) => p.diagnostics.length === 0)).toEqual([]);
      const since = client.published.length;
      writeFileSync(resume, "");
      // The search found the loose file beside the project too: it is loaded.
      expect(await client.diagnostics("notes/loose.eda", (p) => p.diagnostics.length > 0, since)).toHaveLength(1);
      const version = await client.change("model/billing.eda", `${BILLING}\n`);
      expect(await client.diagnostics("model/billing.eda", (p) => p.version === version)).toEqual([]);
      expect((await symbols(client, "Money"))?.map((s) => s.location.uri)).toEqual([client.uri("model/shared.eda")]);
    } finally {
      rmSync(join(resume, ".."), { recursive: true, force: true });
    }
  });
});

describe("a workspace folder inside a project", () => {
  it("has its files checked with the project of the eda.config.json above it", async () => {
    const folder = folderWith({ "eda.config.json": '{ "model": ["**/*.eda"] }\n', "shared/shared.eda": SHARED, "billing/billing.eda": BILLING, "billing/loose/other.eda": "context Other\n" });
    // Only `billing/` is open: alone, its files would be loose files and `use Shared` an error.
    client = await startClient(folder, {}, {}, { workspaceFolders: ["billing"] });
    await client.open("billing/billing.eda");
    expect(await client.diagnostics("billing/billing.eda", (p) => p.diagnostics.length === 0)).toEqual([]);
    const found = await symbols(client, "Money");
    expect(found?.map((s) => s.location.uri)).toEqual([client.uri("shared/shared.eda")]);
  });
});
