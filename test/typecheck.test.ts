/**
 * The tests themselves type-check (`tsconfig.test.json`, the sources' strict settings): vitest
 * runs them from source without checking types, and a test that reads a property its type does
 * not have, or passes a callback the wrong arguments, asserts less than it seems to. The shop's
 * generated code, which the CLI tests import, is written first; test/generated and test/domains
 * are compiled by their own tests once their code is generated.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";
import { describeErrors, parseTsc, ROOT, writeShopGenerated } from "./generated/helpers.js";

it("every test file type-checks", async () => {
  writeShopGenerated();
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.test.json"), "--pretty", "false"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve(code === 0 || out.trim() !== "" ? out : `tsc exited with ${String(code)} and printed nothing`));
  });
  const errors = parseTsc(output);
  expect(describeErrors(errors), "type errors in the tests").toBe("");
  // An exit without a parsable error (a bad tsconfig, a crash) is a failure too.
  expect(output.trim()).toBe("");
}, 180_000);
