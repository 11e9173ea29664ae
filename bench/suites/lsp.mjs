/**
 * The language server (`eda lsp`) as an editor drives it: the time from a `didChange` of one
 * line to the `publishDiagnostics` of that version, on the shop and on the 500-context model,
 * and the server's memory on the latter. The big model's figure is a ratio to a cold `eda check`
 * of the same model, timed in the same run. Each edit waits for its diagnostics before the next
 * (as a pause in typing does); the edit renames a field back and forth, a change the model sees.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-languageserver-protocol/node";
import { formatMB, formatMs, median, timeProcess } from "../lib/measure.mjs";
import { generateModel } from "../synthetic.mjs";
import { cliProblem } from "./cold-check.mjs";

const BIN = "packages/cli/bin/eda.js";
const CONTEXTS = 500;
const SHOP_TARGET_MS = 30;
const BIG_TARGET_RATIO = 0.25;

/** @type {import("../run.mjs").Suite} */
export const lspSuite = {
  id: "lsp",
  title: "Language server: from `didChange` to `publishDiagnostics`, and memory",
  async run(env) {
    const problem = cliProblem(env.root);
    if (problem) return { rows: [{ benchmark: "`eda lsp`", figure: `not measured: ${problem}` }], data: { missing: problem } };
    const tmp = mkdtempSync(path.join(os.tmpdir(), "eda-bench-lsp-"));
    try {
      const shop = path.join(tmp, "shop");
      cpSync(path.join(env.root, "examples/shop"), shop, { recursive: true, filter: (src) => !/node_modules|generated/.test(src) });
      const shopEdits = env.quick ? 10 : 40;
      env.log(`shop: ${shopEdits} one-line edits …`);
      const small = await measureEdits(env.root, shop, "ordering.eda", /^(\s+)customerId\?: uuid$/m, shopEdits);

      const model = generateModel(CONTEXTS, 1);
      const big = path.join(tmp, "model");
      for (const f of model.files) {
        mkdirSync(path.dirname(path.join(big, f.path)), { recursive: true });
        writeFileSync(path.join(big, f.path), f.text);
      }
      const file = model.files.find((f) => f.path.endsWith("behaviour.eda"))?.path ?? model.files[0].path;
      const bigEdits = env.quick ? 3 : 9;
      env.log(`${CONTEXTS} contexts: ${bigEdits} one-line edits of ${file} …`);
      const large = await measureEdits(env.root, big, file, /^(\s+)(\w+)\?: string$/m, bigEdits);
      const runs = env.quick ? 1 : 3;
      env.log(`cold \`eda check\` of the ${CONTEXTS}-context model ${runs}× …`);
      const cold = median(Array.from({ length: runs }, () => timeProcess(process.execPath, [BIN, "check", big], { cwd: env.root }).ms));
      const ratio = large.medianMs / cold;
      const rows = [
        { benchmark: "`didChange` → `publishDiagnostics`, shop, one-line edit", figure: `${formatMs(small.medianMs)} (median of ${shopEdits}; slowest ${formatMs(small.maxMs)})`, target: `≤ ${SHOP_TARGET_MS} ms`, pass: small.medianMs <= SHOP_TARGET_MS },
        {
          benchmark: `\`didChange\` → \`publishDiagnostics\`, ${CONTEXTS} contexts (${model.files.length} files, ${formatMB(model.bytes)}), one-line edit`,
          figure: `${(ratio * 100).toFixed(0)} % of a cold \`eda check\` (${formatMs(large.medianMs)} vs ${formatMs(cold)}, medians of ${bigEdits} and ${runs})`,
          target: `≤ ${BIG_TARGET_RATIO * 100} % of a cold \`eda check\``,
          pass: ratio <= BIG_TARGET_RATIO,
        },
        { benchmark: `server memory, ${CONTEXTS} contexts, after the edits`, figure: `${formatMB(large.rssBytes)} resident, ${formatMB(large.peakRssBytes)} at the peak (initial load and check: ${formatMs(large.loadMs)})` },
      ];
      return {
        rows,
        notes: ["The server runs as `eda lsp --stdio`, driven over its pipes by a vscode-languageserver-protocol client; the diagnostics delay is the default (10 ms) and is part of the figures."],
        data: { shop: small, large, coldCheckMs: cold, ratio, contexts: CONTEXTS },
      };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};

/** Starts the server in `folder`, opens `file`, and times `count` edits of the line `line` matches. */
async function measureEdits(root, folder, file, line, count) {
  const child = spawn(process.execPath, [path.join(root, BIN), "lsp", "--stdio"], { cwd: folder, stdio: ["pipe", "pipe", "ignore"] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = pathToFileURL(path.join(folder, file)).href;
  const waiting = new Map();
  connection.onNotification("textDocument/publishDiagnostics", (p) => {
    if (p.uri === uri) waiting.get(p.version)?.(performance.now());
  });
  connection.listen();
  try {
    const started = performance.now();
    await connection.sendRequest("initialize", { processId: process.pid, rootUri: pathToFileURL(folder).href, workspaceFolders: [{ uri: pathToFileURL(folder).href, name: "bench" }], capabilities: {} });
    await connection.sendNotification("initialized", {});
    const text = readFileSync(path.join(folder, file), "utf8");
    const published = (version) => new Promise((resolve) => waiting.set(version, resolve));
    const opened = published(1);
    await connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "eda", version: 1, text } });
    await opened;
    const loadMs = performance.now() - started;
    const m = line.exec(text);
    if (!m) throw new Error(`no line to edit in ${file}`);
    const before = text.slice(0, m.index);
    const lineNo = before.split("\n").length - 1;
    const original = m[0];
    const times = [];
    for (let i = 0; i < count + 1; i++) {
      const version = i + 2;
      const next = i % 2 === 0 ? original.replace(/(\w+)\?:/, "$1Renamed?:") : original;
      const done = published(version);
      const t0 = performance.now();
      await connection.sendNotification("textDocument/didChange", {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line: lineNo, character: 0 }, end: { line: lineNo, character: (i % 2 === 0 ? original : original.replace(/(\w+)\?:/, "$1Renamed?:")).length } }, text: next }],
      });
      const t1 = await done;
      if (i > 0) times.push(t1 - t0); // the first edit warms up the incremental path
    }
    const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
    return { medianMs: median(times), maxMs: Math.max(...times), samplesMs: times, loadMs, rssBytes: kb("VmRSS"), peakRssBytes: kb("VmHWM") };
  } finally {
    await connection.sendRequest("shutdown").catch(() => undefined);
    await connection.sendNotification("exit").catch(() => undefined);
    connection.dispose();
    child.kill();
  }
}
