/**
 * Workflow definitions are typed by their events and commands: runs tsc over types/ — the valid
 * definitions must compile and each `@ts-expect-error` there (a mapping of the wrong type, a
 * missing field, an unknown event, a missing route …) must be an error. The same run checks the
 * workflow tests themselves, which vitest runs without type-checking.
 */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

describe("workflow definition types", () => {
  it("compile where valid and fail where the fixture expects an error (and the tests type-check)", async () => {
    const run = promisify(execFile)(process.execPath, [tsc, "-p", join(here, "types", "tsconfig.json")], { timeout: 120_000 });
    const result = await run.then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code?: number; stdout?: string }) => ({ code: e.code ?? 1, out: e.stdout ?? String(e) }),
    );
    expect(result.out).toBe("");
    expect(result.code).toBe(0);
  });
});
