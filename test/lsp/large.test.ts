/**
 * `eda lsp` with a document above `eda.diagnostics.onSaveAbove` characters: checking a model with a
 * document of megabytes takes seconds, so such a document is checked when saved, not as it is
 * typed, and the server says so; meanwhile it answers about the other documents at once.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Hover, PublishDiagnosticsParams } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageText, positionOf, shopCopy, startClient, type TestClient } from "./client.js";

const LIMIT = 20_000;
/** A clean context well above the limit: many commands, each with its event and a service that handles it. */
const BIG =
  "context Big\n\n" +
  Array.from({ length: 300 }, (_, i) => `command RecordThing${i} {\n  thingId: uuid\n}\n\nevent ThingRecorded${i} {\n  thingId: uuid\n}\n`).join("\n") +
  `\nservice Recorder {\n${Array.from({ length: 300 }, (_, i) => `  on RecordThing${i} emits ThingRecorded${i}\n`).join("")}}\n`;

let client: TestClient;
beforeAll(async () => {
  expect(BIG.length).toBeGreaterThan(LIMIT);
  client = await startClient(shopCopy({ "big.eda": BIG }), { diagnostics: { onSaveAbove: LIMIT } });
});
afterAll(() => client.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mentionsNope = (p: PublishDiagnosticsParams) => p.diagnostics.some((d) => messageText(d).includes("`Nope`"));

describe("a document above eda.diagnostics.onSaveAbove", () => {
  it("is checked when saved, not as it is typed, and the server says so", async () => {
    await client.open("big.eda");
    await expect.poll(() => client.messages, { timeout: 10_000 }).toEqual([
      `eda: big.eda holds ${Math.round(BIG.length / 1000)} thousand characters, more than eda.diagnostics.onSaveAbove (${LIMIT}): it is checked when you save it, not as you type.`,
    ]);
    const broken = `${BIG}\ntype Bad { x: Nope }\n`;
    const since = client.published.length;
    const version = await client.change("big.eda", broken);
    // The other documents are answered meanwhile, from the model as saved.
    const payments = await client.request<Hover | null>("textDocument/hover", "payments.eda", { line: 3, character: 5 });
    expect(JSON.stringify(payments)).toContain("Shared");
    // Positions in the edited text are not the model's: no answer until it is saved.
    expect(await client.request("textDocument/hover", "big.eda", positionOf(broken, "Nope", 1))).toBeNull();
    await sleep(600);
    expect(client.published.slice(since).filter((p) => p.uri === client.uri("big.eda") && mentionsNope(p))).toEqual([]);

    writeFileSync(join(client.folder, "big.eda"), broken);
    await client.save("big.eda");
    const shown = await client.diagnostics("big.eda", mentionsNope, since);
    expect(shown.map(messageText).join("\n")).toContain("`Nope`");
    expect(client.published.filter((p) => p.uri === client.uri("big.eda") && mentionsNope(p)).map((p) => p.version)).toEqual([version]);
    // Saved, its text is the model's again: hover answers.
    expect(JSON.stringify(await client.request<Hover | null>("textDocument/hover", "big.eda", positionOf(broken, "RecordThing7 {", 1)))).toContain("RecordThing7");
    // The message is not repeated for the same opening.
    expect(client.messages).toHaveLength(1);
  });

  it("leaves smaller documents checked as they are typed", async () => {
    const payments = readFileSync(join(client.folder, "payments.eda"), "utf8");
    await client.open("payments.eda", payments);
    const since = client.published.length;
    await client.change("payments.eda", payments.replace("amount: Money }", "amount: Mony }"));
    const shown = await client.diagnostics("payments.eda", (p) => p.diagnostics.some((d) => messageText(d).includes("`Mony`")), since);
    expect(shown.length).toBeGreaterThan(0);
  });
});
