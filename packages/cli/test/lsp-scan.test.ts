import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findConfigAbove, isSkipped, scanFolder, scanLimit, SCAN_FOLDER_LIMIT } from "../src/commands/lsp-scan.js";

let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh folder holding `files` (path → text; a path ending in `/` is an empty folder). */
function tree(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), "eda-scan-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path.endsWith("/") ? path : join(path, "..")), { recursive: true });
    if (!path.endsWith("/")) writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe("the search of a workspace folder", () => {
  it("finds models and configs, in path order, outside node_modules and hidden folders, following no link to a folder", async () => {
    const root = tree({ "b/m.eda": "", "a.eda": "", "eda.config.json": "{}", "c/d/eda.config.json": "{}", "node_modules/x/n.eda": "", ".git/h.eda": "", "notes.txt": "" });
    symlinkSync(root, join(root, "b", "loop"));
    symlinkSync(join(root, "a.eda"), join(root, "b", "linked.eda"));
    expect(await scanFolder(root)).toEqual({
      models: [join(root, "a.eda"), join(root, "b/linked.eda"), join(root, "b/m.eda")],
      configs: [join(root, "c/d/eda.config.json"), join(root, "eda.config.json")],
    });
  });

  it("stops after `limit` folders, read breadth first, and says so; a search that reads its last folder at the limit is whole", async () => {
    const root = tree({ "a/near.eda": "", "b/c/far.eda": "", "top.eda": "" });
    // The folders: root, a, b, b/c.
    expect(await scanFolder(root, 3)).toEqual({ models: [join(root, "a/near.eda"), join(root, "top.eda")], configs: [], stoppedAfter: 3 });
    expect((await scanFolder(root, 4)).stoppedAfter).toBeUndefined();
  });

  it("stops after ten names per folder of its limit: a folder of very many files is read once", async () => {
    const files: Record<string, string> = { "sub/deep.eda": "" };
    for (let i = 0; i < 30; i++) files[`f${i}.txt`] = "";
    const root = tree(files);
    expect(await scanFolder(root, 2)).toEqual({ models: [], configs: [], stoppedAfter: 1 });
  });

  it.skipIf(process.getuid?.() === 0)("passes over a folder it may not read", async () => {
    const root = tree({ "locked/hidden.eda": "", "open/seen.eda": "" });
    chmodSync(join(root, "locked"), 0o000);
    try {
      expect(await scanFolder(root)).toEqual({ models: [join(root, "open/seen.eda")], configs: [] });
    } finally {
      chmodSync(join(root, "locked"), 0o700);
    }
  });

  it("skips the system's folders at the root only", () => {
    expect(isSkipped("/", "proc")).toBe(true);
    expect(isSkipped("/", "home")).toBe(false);
    expect(isSkipped("/home/me/shop", "proc")).toBe(false);
    expect(isSkipped("/home/me", ".cache")).toBe(true);
    expect(isSkipped("/home/me", "node_modules")).toBe(true);
  });

  it("takes its limit from EDA_LSP_SCAN_LIMIT when it is a positive whole number", () => {
    expect(scanLimit({ EDA_LSP_SCAN_LIMIT: "50" })).toBe(50);
    for (const value of [undefined, "", "0", "-3", "2.5", "many"]) expect(scanLimit({ EDA_LSP_SCAN_LIMIT: value })).toBe(SCAN_FOLDER_LIMIT);
  });
});

describe("the config above a file", () => {
  it("is the nearest eda.config.json in its folder or an ancestor, never a folder of that name", async () => {
    const root = tree({ "eda.config.json": "{}", "a/b/m.eda": "", "a/b/eda.config.json/": "", "c/eda.config.json": "{}", "c/d/n.eda": "" });
    expect(await findConfigAbove(join(root, "a/b/m.eda"))).toBe(join(root, "eda.config.json"));
    expect(await findConfigAbove(join(root, "c/d/n.eda"))).toBe(join(root, "c/eda.config.json"));
    expect(await findConfigAbove(join(root, "c/n.eda"))).toBe(join(root, "c/eda.config.json"));
  });

  it("is none when no folder up to the root holds one", async () => {
    const root = tree({ "a/m.eda": "" });
    // The temporary folder's own ancestors may hold one on some machine: only those below it are asked about.
    const found = await findConfigAbove(join(root, "a/m.eda"));
    expect(found === undefined || !found.startsWith(root)).toBe(true);
  });
});
