import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../src/io.js";

let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));
function folder(): string {
  dir = mkdtempSync(join(tmpdir(), "eda-io-"));
  return dir;
}

describe("writeFileAtomic", () => {
  it("replaces the content, keeps the mode and leaves no temporary file", async () => {
    const file = join(folder(), "a.eda");
    writeFileSync(file, "old");
    chmodSync(file, 0o640);
    await writeFileAtomic(file, "new ✓");
    expect(readFileSync(file, "utf8")).toBe("new ✓");
    expect(statSync(file).mode & 0o7777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(["a.eda"]);
  });

  it("with ifStill, writes only over that text, else leaves the file and no temporary one", async () => {
    const file = join(folder(), "a.ts");
    writeFileSync(file, "theirs");
    expect(await writeFileAtomic(file, "ours", { ifStill: "what eda read" })).toBe(false);
    expect(readFileSync(file, "utf8")).toBe("theirs");
    expect(readdirSync(dir)).toEqual(["a.ts"]);
    expect(await writeFileAtomic(file, "ours", { ifStill: "theirs" })).toBe(true);
    expect(readFileSync(file, "utf8")).toBe("ours");
  });

  it("writes through a symbolic link, which stays a link", async () => {
    const target = join(folder(), "real.eda");
    writeFileSync(target, "old");
    symlinkSync(target, join(dir, "link.eda"));
    await writeFileAtomic(join(dir, "link.eda"), "new");
    expect(lstatSync(join(dir, "link.eda")).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, "utf8")).toBe("new");
  });

  it("fails on a missing file, creating nothing", async () => {
    const file = join(folder(), "missing.eda");
    await expect(writeFileAtomic(file, "x")).rejects.toMatchObject({ code: "ENOENT" });
    expect(readdirSync(dir)).toEqual([]);
  });
});
