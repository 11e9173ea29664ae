/**
 * `eda lsp` over stdio with the evolution gate: a shop whose config compares it with the git
 * revision HEAD (`evolution.against`). A stored event version edited in place shows the gate's
 * diagnostic in the editor, and the quick fix "make this change a new version" restores the
 * stored declaration and declares the edit as the next version with an upcast skeleton. Here the
 * edit is a new required field in `OrderPlaced v2`.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createParser, compareModels, compile } from "@eda/language";
import type { CodeAction } from "vscode-languageserver-protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { positionOf, shopCopy, startClient, type TestClient } from "./client.js";

/** One parser for every parse in this file, as an editor or a watch keeps one. */
const parser = createParser();

let client: TestClient;
const shop: Record<string, string> = {};
const STORED_V2 = "event OrderPlaced v2 {\n  orderId: uuid\n  customerId: uuid\n";
const EDITED_V2 = "event OrderPlaced v2 {\n  orderId: uuid\n  customerId: uuid\n  channel: string\n";

beforeAll(async () => {
  const folder = shopCopy();
  const config = JSON.parse(readFileSync(join(folder, "eda.config.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(folder, "eda.config.json"), JSON.stringify({ ...config, evolution: { against: "HEAD" } }));
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=eda", "-c", "user.email=eda@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: folder, stdio: "pipe" });
  git("init", "-q");
  git("add", ".");
  git("commit", "-q", "-m", "release 1");
  for (const f of readdirSync(folder).filter((f) => f.endsWith(".eda"))) shop[f] = readFileSync(join(folder, f), "utf8");
  client = await startClient(folder);
});
afterAll(() => client.close());

/** The shop with `ordering` as given: its errors, and the evolution gate's codes against the committed shop. */
function check(ordering: string): { errors: string[]; gate: string[] } {
  const files = (texts: Record<string, string>) => Object.entries(texts).map(([path, text]) => ({ path, text }));
  const base = compile(files(shop), { parser }).model;
  const current = compile(files({ ...shop, "ordering.eda": ordering }), { parser });
  return { errors: current.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`), gate: compareModels(base, current.model).map((d) => d.code) };
}

describe("the evolution gate in the editor", () => {
  it("shows a stored version edited in place, and turns the edit into a new version with an upcast", async () => {
    const original = shop["ordering.eda"] as string;
    expect(original).toContain(STORED_V2);
    await client.open("ordering.eda", original);
    const edited = original.replace(STORED_V2, EDITED_V2);
    const since = client.published.length;
    await client.change("ordering.eda", edited);
    const shown = await client.diagnostics("ordering.eda", (p) => p.diagnostics.some((d) => String(d.code).startsWith("EDA7")), since);
    expect(shown.filter((d) => String(d.code).startsWith("EDA7")).map((d) => d.code)).toEqual(["EDA7004"]);
    expect(check(edited).gate).toEqual(["EDA7004"]);

    const start = positionOf(edited, "channel: string", 1);
    const actions = await client.request<CodeAction[]>("textDocument/codeAction", "ordering.eda", undefined, { range: { start, end: start }, context: { diagnostics: [] } });
    const fix = actions.find((a) => a.title.startsWith("Make this change a new version"));
    expect(fix?.title).toBe("Make this change a new version (`OrderPlaced v3`, with an upcast from v2)");
    expect(fix?.isPreferred).toBe(true);
    const edits = fix?.edit?.changes?.[client.uri("ordering.eda")] ?? [];
    expect(edits).toHaveLength(1);
    const lines = edited.split("\n");
    const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
    const edit = edits[0] as { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string };
    const fixed = edited.slice(0, offset(edit.range.start)) + edit.newText + edited.slice(offset(edit.range.end));

    // The stored v2 restored as it was, the edit as v3, and an upcast from v2 to fill in.
    expect(fixed).toContain(STORED_V2);
    expect(fixed).toContain("event OrderPlaced v3 {\n  orderId: uuid\n  customerId: uuid\n  channel: string\n");
    expect(fixed).toContain("upcast OrderPlaced v2 -> v3 {\n}");
    // Nothing stored is edited any more; what is left is the upcast's rule for the new field.
    expect(check(fixed)).toEqual({ errors: [expect.stringMatching(/^EDA3003 This upcast leaves `channel` unset/)], gate: [] });
    // The server agrees: the gate's diagnostic is gone.
    const after = client.published.length;
    await client.change("ordering.eda", fixed);
    const now = await client.diagnostics("ordering.eda", () => true, after);
    expect(now.filter((d) => String(d.code).startsWith("EDA7"))).toEqual([]);
  });

  it("offers no such fix where nothing stored was edited", async () => {
    const original = shop["ordering.eda"] as string;
    await client.change("ordering.eda", original);
    const start = positionOf(original, "customerId: uuid", 1, 1);
    const actions = await client.request<CodeAction[]>("textDocument/codeAction", "ordering.eda", undefined, { range: { start, end: start }, context: { diagnostics: [] } });
    expect(actions.map((a) => a.title).filter((t) => t.startsWith("Make this change"))).toEqual([]);
  });
});

describe("the evolution gate follows its git revision", () => {
  const GIT = ["-c", "user.name=eda", "-c", "user.email=eda@example.com", "-c", "commit.gpgsign=false"];
  const gate = (p: { diagnostics: { code?: number | string }[] }) => p.diagnostics.filter((d) => String(d.code).startsWith("EDA7")).map((d) => d.code);

  /** A committed shop compared with `against`, its ordering.eda open and edited in place (EDA7004), the edit saved. */
  async function editedShop(against: string, at: (repo: string) => string = (repo) => repo) {
    const repo = shopCopy();
    const config = JSON.parse(readFileSync(join(repo, "eda.config.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(join(repo, "eda.config.json"), JSON.stringify({ ...config, evolution: { against } }));
    const inRepo = (...args: string[]) => execFileSync("git", [...GIT, ...args], { cwd: repo, stdio: "pipe" });
    inRepo("init", "-q", "-b", "main");
    inRepo("add", ".");
    inRepo("commit", "-q", "-m", "release 1");
    const folder = at(repo);
    const git = (...args: string[]) => execFileSync("git", [...GIT, ...args], { cwd: folder, stdio: "pipe" });
    const c = await startClient(folder);
    const edited = readFileSync(join(folder, "ordering.eda"), "utf8").replace(STORED_V2, EDITED_V2);
    await c.open("ordering.eda");
    const since = c.published.length;
    await c.change("ordering.eda", edited);
    expect(gate({ diagnostics: await c.diagnostics("ordering.eda", (p) => gate(p).length > 0, since) })).toEqual(["EDA7004"]);
    writeFileSync(join(folder, "ordering.eda"), edited);
    return { c, git, repo };
  }

  it("compares with the new commit once the edit is committed, and with the old one again on a detached checkout of it", async () => {
    const { c, git } = await editedShop("HEAD");
    try {
      // Committed: the edited version is the stored one now. No edit, no watched-file event.
      let since = c.published.length;
      git("commit", "-q", "-am", "release 2");
      await c.diagnostics("ordering.eda", (p) => gate(p).length === 0, since);
      // HEAD detached at release 1 (the open document still holds the edit).
      since = c.published.length;
      git("checkout", "-q", "--detach", "HEAD~1");
      expect(gate({ diagnostics: await c.diagnostics("ordering.eda", (p) => gate(p).length > 0, since) })).toEqual(["EDA7004"]);
    } finally {
      await c.close();
    }
  });

  it("follows a branch whose refs are packed, in a linked worktree", async () => {
    let repo = "";
    const { c, git } = await editedShop("main", (r) => {
      repo = r;
      execFileSync("git", ["worktree", "add", "-q", "-b", "work", `${r}-wt`], { cwd: r, stdio: "pipe" });
      execFileSync("git", ["pack-refs", "--all"], { cwd: r, stdio: "pipe" });
      return `${r}-wt`;
    });
    try {
      // `main` moves in the main checkout's folder, to the edit committed on `work`.
      git("commit", "-q", "-am", "release 2");
      const since = c.published.length;
      execFileSync("git", ["update-ref", "refs/heads/main", "work"], { cwd: repo, stdio: "pipe" });
      await c.diagnostics("ordering.eda", (p) => gate(p).length === 0, since);
    } finally {
      await c.close();
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
