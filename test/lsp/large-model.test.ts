/**
 * `eda lsp` on a model larger than `eda.diagnostics.onSaveAbove` characters in all (many files,
 * each checked as it is typed): the check of an edit takes long, so it runs in steps, the server
 * answers between them, and a hover in an unchanged document is answered from the last model at
 * once instead of waiting for the check. A check that an edit supersedes never publishes.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Hover, PublishDiagnosticsParams } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateModel } from "../../bench/synthetic.mjs";
import { messageText, positionOf, startClient, type TestClient } from "./client.js";

const LIMIT = 20_000;
const CONTEXTS = 100;

let client: TestClient;
let edited: string;
let other: string;
let otherEvent: string;
beforeAll(async () => {
  const model = generateModel(CONTEXTS, 1);
  const folder = mkdtempSync(join(tmpdir(), "eda-lsp-large-"));
  for (const f of model.files) {
    mkdirSync(dirname(join(folder, f.path)), { recursive: true });
    writeFileSync(join(folder, f.path), f.text);
  }
  expect(model.bytes).toBeGreaterThan(LIMIT * 20);
  expect(Math.max(...model.files.map((f) => f.text.length))).toBeLessThan(LIMIT);
  edited = (model.files.find((f) => f.path.endsWith("behaviour.eda")) as { path: string }).path;
  other = (model.files.filter((f) => f.path.endsWith("messages.eda"))[7] as { path: string }).path;
  otherEvent = (/^event (\w+)/m.exec(readFileSync(join(folder, other), "utf8")) as RegExpExecArray)[1] as string;
  client = await startClient(folder, { diagnostics: { onSaveAbove: LIMIT } });
  await client.open(edited);
  await client.open(other);
  await client.diagnostics(edited);
});
afterAll(() => client.close());

const mentions = (name: string) => (p: PublishDiagnosticsParams) => p.diagnostics.some((d) => messageText(d).includes(`\`${name}\``));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a model above eda.diagnostics.onSaveAbove in all", () => {
  it("answers a hover in an unchanged document while an edit is checked, long before its diagnostics", async () => {
    const otherText = readFileSync(join(client.folder, other), "utf8");
    const position = positionOf(otherText, `event ${otherEvent}`, 6);
    // The first hover builds the model's index; the one timed below answers from it.
    expect(JSON.stringify(await client.request<Hover | null>("textDocument/hover", other, position))).toContain(otherEvent);
    const text = readFileSync(join(client.folder, edited), "utf8");
    const since = client.published.length;
    const started = performance.now();
    const version = await client.change(edited, `${text}\ntype Bad { x: Nope }\n`);
    const hovered = client.request<Hover | null>("textDocument/hover", other, position).then((h) => ({ h, ms: performance.now() - started, publishedBefore: client.published.slice(since).filter((p) => p.uri === client.uri(edited) && p.version === version).length }));
    await client.diagnostics(edited, (p) => p.version === version && mentions("Nope")(p), since);
    const checkedMs = performance.now() - started;
    const { h, ms, publishedBefore } = await hovered;
    expect(JSON.stringify(h)).toContain(otherEvent);
    // Answered before the edit's diagnostics were published.
    expect(publishedBefore).toBe(0);
    // Before this, the hover compiled the model itself and was answered just before the
    // diagnostics (ms ≈ checkedMs). Now it waits at most for the step it lands in — resolving,
    // the longest, is about half the check, more on a loaded machine (files run side by side).
    expect(ms, `hover ${Math.round(ms)} ms, diagnostics ${Math.round(checkedMs)} ms`).toBeLessThan(checkedMs * 0.8);
  });

  it("never publishes the diagnostics of a check that a newer edit superseded", async () => {
    const text = readFileSync(join(client.folder, edited), "utf8");
    const since = client.published.length;
    const superseded = await client.change(edited, `${text}\ntype Bad { x: Nope1 }\n`);
    await sleep(50); // its check has begun
    const latest = await client.change(edited, `${text}\ntype Bad { x: Nope2 }\n`);
    await client.diagnostics(edited, (p) => p.version === latest && mentions("Nope2")(p), since);
    const mine = client.published.slice(since).filter((p) => p.uri === client.uri(edited));
    expect(mine.filter((p) => p.version === superseded || mentions("Nope1")(p))).toEqual([]);
  });
});
