/**
 * Handler scaffolds as the user lives with them: created once, then the user's; a handler the
 * model gains is added to the existing file and nothing else in it changes; one the model loses
 * is reported, never deleted.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEda } from "./generate-helpers.js";
import { ensureBundle, makeProject, runEda } from "./helpers.js";

beforeAll(ensureBundle);

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

const CONFIG = JSON.stringify({ model: "model/*.eda", out: "src/generated", handlers: "src/handlers" });

const MODEL = `context Shop

command PlaceOrder {
  orderId: uuid
}

event OrderPlaced {
  orderId: uuid
}

aggregate Order {
  stream orderId
  state {
    placed: bool = false
  }
  on PlaceOrder emits OrderPlaced
}
`;

/** The model with one more command, answered with an event the aggregate already emits. */
const WITH_AMEND = MODEL.replace("event OrderPlaced", "command AmendOrder {\n  orderId: uuid\n}\n\nevent OrderPlaced").replace(
  "  on PlaceOrder emits OrderPlaced\n",
  "  on PlaceOrder emits OrderPlaced\n  on AmendOrder emits OrderPlaced\n",
);

const HANDLERS = "src/handlers/shop/order.ts";

/** A project generated once, whose handler file the user has then made their own. */
async function projectWithUserHandlers(): Promise<{ dir: string; text: string }> {
  const { dir, cleanup } = makeProject({ "eda.config.json": CONFIG, "model/shop.eda": MODEL });
  cleanups.push(cleanup);
  const first = await runEda(["generate"], dir);
  expect(first).toMatchObject({ code: 0, stderr: "" });
  expect(first.stdout).toMatch(/, created 1 handler file\n$/);
  const scaffold = readFileSync(join(dir, HANDLERS), "utf8");
  expect(scaffold).toContain("PlaceOrder(");
  // The user implements the handlers (every stub body replaced) and adds their own code.
  const text = `// Written by the team.\n${scaffold.replace(/throw new Error\(\n?[^;]*\);/g, "return [];")}\nexport const helper = 42;\n`;
  expect(text).not.toContain("throw new Error");
  writeFileSync(join(dir, HANDLERS), text);
  return { dir, text };
}

/** Splits `after` into what `before` had and one contiguous insertion; fails when that is impossible. */
function insertion(before: string, after: string): string {
  let start = 0;
  while (start < before.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  expect(after.slice(0, start) + after.slice(after.length - end)).toBe(before);
  return after.slice(start, after.length - end);
}

describe("eda generate: handler scaffolds", () => {
  it("adds exactly one stub when the model gains a command, and leaves every other byte of the file as it was", async () => {
    const { dir, text } = await projectWithUserHandlers();
    writeFileSync(join(dir, "model/shop.eda"), WITH_AMEND);

    const check = await runEda(["generate", "--check"], dir);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`missing  ${HANDLERS}: handler decide.AmendOrder\n`);
    expect(readFileSync(join(dir, HANDLERS), "utf8")).toBe(text);

    const run = await runEda(["generate"], dir);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(new RegExp(`\\(1 new, \\d+ changed\\), added 1 handler to ${HANDLERS}\\n$`));
    const after = readFileSync(join(dir, HANDLERS), "utf8");
    const added = insertion(text, after);
    expect(added.match(/AmendOrder\(/g)).toHaveLength(1);
    expect(added.match(/throw new Error/g)).toHaveLength(1);
    // The stub is one member, at the end of `decide`, in the file's indentation.
    const start = after.indexOf("\n    AmendOrder(_command, _state) {\n");
    const end = after.indexOf("\n    },", start) + "\n    },".length;
    expect(start).toBeGreaterThan(0);
    expect(after.slice(0, start) + after.slice(end)).toBe(text);
    expect(after.slice(end)).toMatch(/^\n {2}\},\n {2}evolve: \{/);

    // Up to date now: nothing more is added, the file is not even rewritten.
    const mtime = statSync(join(dir, HANDLERS)).mtimeMs;
    expect(await runEda(["generate", "--check"], dir)).toMatchObject({ code: 0 });
    expect((await runEda(["generate"], dir)).stdout).toMatch(/is up to date/);
    expect(statSync(join(dir, HANDLERS)).mtimeMs).toBe(mtime);
  });

  it("adds a stub to each part that needs one when a command brings a new event", async () => {
    const { dir, text } = await projectWithUserHandlers();
    const withCancel = MODEL.replace("aggregate Order", "command CancelOrder {\n  orderId: uuid\n}\n\nevent OrderCancelled {\n  orderId: uuid\n}\n\naggregate Order").replace(
      "  on PlaceOrder emits OrderPlaced\n",
      "  on PlaceOrder emits OrderPlaced\n  on CancelOrder emits OrderCancelled\n",
    );
    writeFileSync(join(dir, "model/shop.eda"), withCancel);
    const run = await runEda(["generate"], dir);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(new RegExp(`added 2 handlers to ${HANDLERS}\\n$`));
    const after = readFileSync(join(dir, HANDLERS), "utf8");
    expect(after.match(/throw new Error/g)).toHaveLength(2);
    expect(after.indexOf("CancelOrder(")).toBeLessThan(after.indexOf("evolve:"));
    expect(after.indexOf("OrderCancelled(")).toBeGreaterThan(after.indexOf("evolve:"));
    expect(after.startsWith(text.slice(0, text.indexOf("evolve:") - 10))).toBe(true);
  });

  it("reports a handler whose command left the model, and leaves it in place", async () => {
    const { dir } = await projectWithUserHandlers();
    writeFileSync(join(dir, "model/shop.eda"), WITH_AMEND);
    expect((await runEda(["generate"], dir)).code).toBe(0);
    const text = readFileSync(join(dir, HANDLERS), "utf8");

    writeFileSync(join(dir, "model/shop.eda"), MODEL);
    const run = await runEda(["generate"], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`eda: ${HANDLERS}: decide.AmendOrder is no longer in the model (left in place)\n`);
    expect(run.stdout).not.toContain("handler");
    expect(readFileSync(join(dir, HANDLERS), "utf8")).toBe(text);
  });

  it("never overwrites a handler file, and says when it cannot find where handlers go", async () => {
    const { dir, cleanup } = makeProject({ "eda.config.json": CONFIG, "model/shop.eda": MODEL, [HANDLERS]: "export const mine = 1;\n" });
    cleanups.push(cleanup);
    const run = await runEda(["generate"], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`eda: ${HANDLERS}: cannot check the handlers of \`order\`: the file has no \`const order\`\n`);
    expect(readFileSync(join(dir, HANDLERS), "utf8")).toBe("export const mine = 1;\n");
  });

  it("leaves a handler file that does not parse as it is, and says where it breaks", async () => {
    const { dir, text } = await projectWithUserHandlers();
    // Mid-edit: a brace too many. TypeScript's recovery would misplace any insertion.
    const broken = text.replace("decide: {", "decide: {{ half");
    writeFileSync(join(dir, HANDLERS), broken);
    writeFileSync(join(dir, "model/shop.eda"), WITH_AMEND);
    const run = await runEda(["generate"], dir);
    expect(run.code).toBe(0);
    const line = broken.slice(0, broken.indexOf("{ half")).split("\n").length;
    expect(run.stderr).toBe(
      `eda: ${HANDLERS}: cannot check the handlers of \`order\`: the file does not parse (line ${line}, column 12: Property assignment expected); fix it and run eda generate again\n`,
    );
    expect(readFileSync(join(dir, HANDLERS), "utf8")).toBe(broken);
    // --check cannot call the handlers up to date: it fails, saying why.
    const check = await runEda(["generate", "--check"], dir);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("cannot check the handlers of `order`: the file does not parse");
    expect(check.stdout).toBe("out of date (1 handler problem above); run `eda generate` to update\n");

    writeFileSync(join(dir, HANDLERS), text);
    const fixed = await runEda(["generate"], dir);
    expect(fixed).toMatchObject({ code: 0, stderr: "" });
    expect(insertion(text, readFileSync(join(dir, HANDLERS), "utf8"))).toContain("AmendOrder(");
  });

  it("adds a handler to a file saved with a byte order mark and CRLF line ends, keeping both", async () => {
    const { dir, text } = await projectWithUserHandlers();
    const windows = `\uFEFF${text.replaceAll("\n", "\r\n")}`;
    writeFileSync(join(dir, HANDLERS), windows);
    writeFileSync(join(dir, "model/shop.eda"), WITH_AMEND);
    const run = await runEda(["generate"], dir);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const after = readFileSync(join(dir, HANDLERS), "utf8");
    expect(after.startsWith("\uFEFF// Written by the team.\r\n")).toBe(true);
    const added = insertion(windows, after);
    expect(added).toContain("AmendOrder(");
    expect(added.replaceAll("\r\n", "")).not.toContain("\n");
  });

  it("never rewrites a handler file that is not UTF-8, whose other bytes would be lost", async () => {
    const { dir, text } = await projectWithUserHandlers();
    // A comment saved as Latin-1 ("Grüße" with ü = 0xFC) on line 2.
    const bytes = Buffer.concat([Buffer.from("// Written by the team.\n// Gr", "latin1"), Buffer.from([0xfc]), Buffer.from(`ße\n${text.slice(text.indexOf("\n") + 1)}`, "utf8")]);
    writeFileSync(join(dir, HANDLERS), bytes);
    writeFileSync(join(dir, "model/shop.eda"), WITH_AMEND);
    const run = await runEda(["generate"], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      `eda: ${HANDLERS}: cannot check the handlers of \`order\`: line 2 is not valid UTF-8 (byte 0xFC), and eda edits only UTF-8 files; save it as UTF-8\n`,
    );
    expect(readFileSync(join(dir, HANDLERS)).equals(bytes)).toBe(true);
  });

  it("leaves a read-only handler file alone, naming the handler to add by hand", async () => {
    const { dir, text } = await projectWithUserHandlers();
    chmodSync(join(dir, HANDLERS), 0o444);
    writeFileSync(join(dir, "model/shop.eda"), WITH_AMEND);
    const run = await runEda(["generate"], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`eda: ${HANDLERS}: cannot add decide.AmendOrder: the file is read-only; add it by hand\n`);
    expect(readFileSync(join(dir, HANDLERS), "utf8")).toBe(text);
    expect(statSync(join(dir, HANDLERS)).mode & 0o777).toBe(0o444);
  });

  it("keeps a save the user made while eda was adding a handler, and adds the handler to it", async () => {
    const { dir, text } = await projectWithUserHandlers();
    writeFileSync(join(dir, "model/shop.eda"), WITH_AMEND);
    const resume = join(dir, "resume");
    const eda = startEda(["generate"], dir, { EDA_TEST_PAUSE_AT: "handler-edit", EDA_TEST_RESUME_WHEN: resume });
    cleanups.unshift(() => eda.child.kill("SIGKILL"));
    await eda.waitFor("stderr", "eda: test pause at handler-edit\n");
    // eda has read the file and made its edit; the user saves meanwhile.
    const saved = `${text}export const savedMeanwhile = true;\n`;
    writeFileSync(join(dir, HANDLERS), saved);
    writeFileSync(resume, "");
    expect(await eda.exited()).toBe(0);
    expect(eda.stdout()).toMatch(/, added 1 handler to src\/handlers\/shop\/order\.ts\n$/);
    const after = readFileSync(join(dir, HANDLERS), "utf8");
    expect(after).toContain("export const savedMeanwhile = true;\n");
    expect(insertion(saved, after)).toContain("AmendOrder(");
  });

  it("removes the temporary files of a run killed while creating a handler file, but not a running one's", async () => {
    const { dir, cleanup } = makeProject({ "eda.config.json": CONFIG, "model/shop.eda": MODEL });
    cleanups.push(cleanup);
    const eda = startEda(["generate"], dir, { EDA_TEST_PAUSE_AT: "handler-create" });
    cleanups.unshift(() => eda.child.kill("SIGKILL"));
    await eda.waitFor("stderr", "eda: test pause at handler-create\n");
    eda.child.kill("SIGKILL");
    expect(await eda.exited()).toBe("SIGKILL");
    const folder = join(dir, "src/handlers/shop");
    const killed = `.eda-tmp-order.ts-${eda.child.pid}`;
    expect(readdirSync(folder)).toEqual([killed]);
    // A run killed while rewriting a handler file leaves `-<pid>-<tag>`; this test's own process
    // is running, so its files may be a live run's and stay.
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    const left = [killed, `.eda-tmp-order.ts-${dead}-k3x9q2a1`, `.eda-tmp-order.ts-${dead}-12345678`];
    const live = [`.eda-tmp-order.ts-${process.pid}`, `.eda-tmp-order.ts-${process.pid}-k3x9q2a1`, `.eda-tmp-order.ts-${dead}-${process.pid}`];
    for (const name of [...left.slice(1), ...live]) writeFileSync(join(folder, name), "half a file");

    const run = await runEda(["generate"], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe(`eda: removed 3 leftover temporary files of an interrupted run: ${left.map((n) => `src/handlers/shop/${n}`).sort().join(", ")}\n`);
    expect(readdirSync(folder).sort()).toEqual(["order.ts", ...live].sort());
    expect(readFileSync(join(folder, "order.ts"), "utf8")).toContain("PlaceOrder");
    // --check removes nothing.
    writeFileSync(join(folder, left[1] as string), "half a file");
    expect((await runEda(["generate", "--check"], dir)).code).toBe(0);
    expect(existsSync(join(folder, left[1] as string))).toBe(true);
  });

  it("scaffolds into --handlers without a config, importing the generated code from --out", async () => {
    const { dir, cleanup } = makeProject({ "m/shop.eda": MODEL });
    cleanups.push(cleanup);
    const run = await runEda(["generate", "m", "--out", "lib/gen", "--handlers", "app/handlers"], dir);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(readFileSync(join(dir, "app/handlers/shop/order.ts"), "utf8")).toContain('from "../../../lib/gen/shop/');
  });
});

describe("eda generate: TypeScript loads only for a file that lacks a handler", () => {
  /** Runs `eda generate` with a hook that reports on stderr whether ts-morph was required. */
  async function generateWatchingTsMorph(dir: string): Promise<{ code: number | null; loaded: boolean; stdout: string }> {
    const hook = join(dir, "watch-ts-morph.cjs");
    writeFileSync(
      hook,
      'const M = require("node:module"); const load = M._load;\n' +
        'M._load = function (request, ...rest) { if (request === "ts-morph") process.stderr.write("ts-morph loaded\\n"); return load.call(this, request, ...rest); };\n',
    );
    const run = await runEda(["generate"], dir, { NODE_OPTIONS: `--require ${hook}` });
    return { code: run.code, loaded: run.stderr.includes("ts-morph loaded"), stdout: run.stdout };
  }

  it("settles a complete handler file with the light scan, and still adds a missing handler with ts-morph", async () => {
    const { dir, text } = await projectWithUserHandlers();
    expect(await generateWatchingTsMorph(dir)).toMatchObject({ code: 0, loaded: false });
    expect(readFileSync(join(dir, HANDLERS), "utf8")).toBe(text);

    writeFileSync(join(dir, "model/shop.eda"), WITH_AMEND);
    const run = await generateWatchingTsMorph(dir);
    expect(run).toMatchObject({ code: 0, loaded: true });
    expect(run.stdout).toContain(`added 1 handler to ${HANDLERS}`);
  });
});
