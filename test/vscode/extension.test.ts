/**
 * The VS Code extension: its manifest, snippets and Markdown injection, the `.vsix` that
 * `pnpm package:vscode` builds offline, opened and checked, and its bundled client started with
 * a stand-in for VS Code.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFile, stageOf } from "../../packages/language/src/index.js";
import { DEFAULT_SETTINGS } from "../../packages/lsp/src/settings.js";
import { BLOCKED } from "../../packages/vscode/scripts/offline-guard.mjs";
import { loadGrammar, tokenizeText } from "../../packages/vscode/scripts/textmate.mjs";
import { readZip } from "../../packages/vscode/scripts/zip.mjs";
import { innermost, isKeywordScope, lex, lexicon, repoRoot, scopeAt, tokensOf } from "./support.js";
import { createVscodeStub } from "./vscode-stub.js";

const extensionDir = join(repoRoot, "packages/vscode");
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"));

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly publisher: string;
  readonly main: string;
  readonly activationEvents: readonly string[];
  readonly engines: { readonly vscode: string };
  readonly contributes: {
    readonly languages: readonly { id: string; extensions: string[]; configuration: string; icon?: { light: string; dark: string } }[];
    readonly grammars: readonly { language?: string; scopeName: string; path: string; injectTo?: string[]; embeddedLanguages?: Record<string, string> }[];
    readonly snippets: readonly { language: string; path: string }[];
    readonly configuration: { readonly properties: Record<string, { type?: string; default?: unknown; enum?: string[]; description?: string; markdownDescription?: string }> };
  };
}
const manifest = readJson(join(extensionDir, "package.json")) as Manifest;

describe("the manifest", () => {
  it("contributes the eda language for .eda files, with its configuration and icon", () => {
    expect(manifest.contributes.languages).toEqual([
      expect.objectContaining({ id: "eda", extensions: [".eda"], configuration: "./language-configuration.json" }),
    ]);
    expect(manifest.contributes.languages[0]?.icon).toBeDefined();
  });

  it("contributes the grammar, and the injection that highlights ```eda blocks in Markdown", () => {
    expect(manifest.contributes.grammars).toContainEqual({ language: "eda", scopeName: "source.eda", path: "./syntaxes/eda.tmLanguage.json" });
    const injection = manifest.contributes.grammars.find((g) => g.scopeName === "markdown.eda.codeblock");
    expect(injection).toMatchObject({ injectTo: ["text.html.markdown"], embeddedLanguages: { "meta.embedded.block.eda": "eda" } });
    const grammar = readJson(join(extensionDir, injection?.path ?? "")) as { scopeName: string; injectionSelector: string };
    expect(grammar).toMatchObject({ scopeName: "markdown.eda.codeblock", injectionSelector: "L:text.html.markdown" });
  });

  it("starts the language client from its bundle, on .eda files and on Markdown (for ```eda fences)", () => {
    expect(manifest).toMatchObject({ name: "eda-vscode", publisher: "eda", main: "./dist/extension.cjs" });
    // vscode-languageclient 11 needs VS Code 1.91.
    expect(manifest.engines.vscode).toBe("^1.91.0");
    expect(manifest.activationEvents).toEqual(expect.arrayContaining(["onLanguage:eda", "onLanguage:markdown"]));
  });

  it("declares its settings", () => {
    const properties = manifest.contributes.configuration.properties;
    expect(Object.keys(properties).sort()).toEqual(["eda.diagnostics.delay", "eda.diagnostics.onSaveAbove", "eda.server.path", "eda.storedEvents", "eda.trace.server"]);
    expect(properties["eda.storedEvents"]).toMatchObject({ enum: ["versioned", "all"], default: "versioned" });
    expect(properties["eda.diagnostics.delay"]).toMatchObject({ type: "number", default: 10 });
    // The server's own default, so that the setting left alone changes nothing.
    expect(properties["eda.diagnostics.onSaveAbove"]).toMatchObject({ type: "integer", default: DEFAULT_SETTINGS.checkOnSaveAbove });
    for (const [key, p] of Object.entries(properties)) expect(p.description ?? p.markdownDescription, key).toBeTruthy();
  });
});

interface Snippet {
  readonly prefix: string | readonly string[];
  readonly body: readonly string[];
  readonly description: string;
}
const snippets = readJson(join(extensionDir, "snippets/eda.code-snippets")) as Record<string, Snippet>;

/** A snippet's text as inserted when every placeholder keeps its default (first choice). */
function expand(body: readonly string[]): string {
  let text = body.join("\n").replace(/\t/g, "  ");
  for (let previous = ""; previous !== text; ) {
    previous = text;
    text = text
      .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, "$1")
      .replace(/\$\{\d+:([^${}]*)\}/g, "$1")
      .replace(/\$\{\d+\}|\$\d+/g, "");
  }
  return text;
}

describe("snippets", () => {
  const expanded = Object.entries(snippets).map(([name, s]) => ({ name, prefixes: [s.prefix].flat(), text: expand(s.body) }));

  it("offer one for each declaration kind, and for a workflow step", () => {
    for (const keyword of [...lexicon.DECLARATION_KEYWORDS, "step"]) {
      const found = expanded.filter((s) => s.prefixes.includes(keyword) && s.text.startsWith(`${keyword} `));
      expect(found.length, keyword).toBeGreaterThan(0);
    }
    expect(expanded.some((s) => s.text.startsWith("workflow ") && s.text.includes(" orchestrated {"))).toBe(true);
    expect(expanded.some((s) => s.text.startsWith("workflow ") && s.text.includes(" choreographed {"))).toBe(true);
  });

  it("expand to code that the lexer, the grammar and the parser accept", () => {
    for (const { name, text } of expanded) {
      expect(text, name).not.toMatch(/\$/);
      // A step lives in a workflow; every snippet needs a context to be a file.
      const before = name === "step" ? "context S\nworkflow W orchestrated {\n" : name === "context" ? "" : "context S\n";
      const inFile = `${before}${text}${name === "step" ? "\n}" : ""}`;
      expect(lex(inFile).errors, name).toEqual([]);
      expect(tokensOf(inFile).filter((t) => t.scopes.some((s) => s.startsWith("invalid."))), name).toEqual([]);
      const first = scopeAt(inFile, before.split("\n").length, 0);
      expect(first.some(isKeywordScope), `${name} starts with a keyword: ${innermost(first)}`).toBe(true);
      const syntaxErrors = parseFile({ path: `${name}.eda`, text: inFile }).diagnostics.filter((d) => stageOf(d.code) === "syntax");
      expect(syntaxErrors.map((d) => `${d.code} ${d.message}`), `${name}:\n${inFile}`).toEqual([]);
    }
  });
});

describe("```eda blocks in Markdown", () => {
  const markdown = [
    "# Orders",
    "",
    "```eda",
    "command PlaceOrder {",
    "  orderId: uuid",
    "}",
    "```",
    "",
    "command is plain prose here.",
    "",
    "~~~ EDA title",
    "event OrderPlaced v2 { orderId: uuid }",
    "~~~",
    "```ts",
    "command X {}",
    "```",
  ].join("\n");

  it("are highlighted with the eda grammar, and nothing else is", async () => {
    const grammar = await loadGrammar("markdown.eda.codeblock");
    const lines = tokenizeText(grammar, markdown) as { text: string; tokens: { text: string; scopes: string[] }[] }[];
    const scopes = (line: number, word: string) => lines[line - 1]?.tokens.find((t) => t.text === word)?.scopes ?? [];
    expect(scopes(4, "command")).toEqual(expect.arrayContaining(["meta.embedded.block.eda", "storage.type.command.eda"]));
    expect(innermost(scopes(4, "PlaceOrder"))).toBe("entity.name.type.command.eda");
    expect(innermost(scopes(5, "orderId"))).toBe("variable.other.property.eda");
    expect(innermost(scopes(7, "```"))).toBe("punctuation.definition.markdown");
    expect(innermost(scopes(12, "v2"))).toBe("constant.numeric.version.eda");
    for (const line of [9, 15]) {
      const all = lines[line - 1]?.tokens.flatMap((t) => t.scopes) ?? [];
      expect(all.filter((s) => s.endsWith(".eda")), `line ${line}`).toEqual([]);
    }
  });
});

describe("the .vsix built by `pnpm package:vscode`", () => {
  const rootManifest = readJson(join(repoRoot, "package.json")) as { scripts: Record<string, string> };
  const script = rootManifest.scripts["package:vscode"] ?? "";
  let build: { status: number | null; output: string };
  let entries: Map<string, Buffer>;

  beforeAll(async () => {
    // The very command the root script runs.
    const run = spawnSync(script, { cwd: repoRoot, shell: true, encoding: "utf8" });
    build = { status: run.status, output: `${run.stdout}${run.stderr}` };
    entries = build.status === 0 ? await readZip(join(extensionDir, "dist/eda.vsix")) : new Map();
  });

  it("builds with vsce 3.9 --no-dependencies, without touching the network", () => {
    expect(script).toBe("node packages/vscode/scripts/build.mjs");
    expect(build.output).not.toContain(BLOCKED);
    expect(build.status, build.output).toBe(0);
    const vsce = readJson(join(extensionDir, "node_modules/@vscode/vsce/package.json")) as { version: string };
    expect(vsce.version).toMatch(/^3\.9\./);
    expect(readFileSync(join(extensionDir, "scripts/build.mjs"), "utf8")).toContain('"--no-dependencies"');
  });

  it("contains the manifest, grammar, configuration and snippets", () => {
    const names = [...entries.keys()].sort();
    expect(names).toEqual(
      expect.arrayContaining([
        "extension.vsixmanifest",
        "[Content_Types].xml",
        "extension/package.json",
        "extension/syntaxes/eda.tmLanguage.json",
        "extension/syntaxes/markdown-eda.tmLanguage.json",
        "extension/language-configuration.json",
        "extension/snippets/eda.code-snippets",
        "extension/readme.md",
        "extension/LICENSE.txt",
        "extension/dist/extension.cjs",
        "extension/dist/server.cjs",
      ]),
    );
    expect(names.filter((n) => /node_modules|\/scripts\/|\.vsix$/.test(n))).toEqual([]);
  });

  it("carries grammar/ unchanged, and every file its manifest names", () => {
    expect(entries.get("extension/syntaxes/eda.tmLanguage.json")?.toString("utf8")).toBe(readFileSync(join(repoRoot, "grammar/eda.tmLanguage.json"), "utf8"));
    expect(entries.get("extension/language-configuration.json")?.toString("utf8")).toBe(
      readFileSync(join(repoRoot, "grammar/language-configuration.json"), "utf8"),
    );
    const packed = JSON.parse(entries.get("extension/package.json")?.toString("utf8") ?? "{}") as Manifest;
    const named = [
      ...packed.contributes.languages.flatMap((l) => [l.configuration, l.icon?.light, l.icon?.dark]),
      ...packed.contributes.grammars.map((g) => g.path),
      ...packed.contributes.snippets.map((s) => s.path),
    ].filter((p): p is string => p !== undefined);
    for (const path of named) expect(entries.has(`extension/${path.replace(/^\.\//, "")}`), path).toBe(true);
    expect(entries.get("extension.vsixmanifest")?.toString("utf8")).toContain(`Id="${manifest.name}"`);
  });
});

describe("the bundled extension, loaded with a stand-in for the `vscode` module", () => {
  let dir = "";
  beforeAll(async () => {
    // The .vsix the tests above built (this file's tests run in order); built here when run alone.
    if (!existsSync(join(extensionDir, "dist/eda.vsix"))) {
      const build = spawnSync(process.execPath, [join(extensionDir, "scripts/build.mjs")], { cwd: repoRoot, encoding: "utf8" });
      expect(build.status, `${build.stdout}${build.stderr}`).toBe(0);
    }
    // Run the extension as packed: its files taken out of the .vsix.
    dir = mkdtempSync(join(tmpdir(), "eda-vsix-"));
    for (const [name, data] of await readZip(join(extensionDir, "dist/eda.vsix"))) {
      if (!name.startsWith("extension/")) continue;
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), data);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("activates, starts its bundled server on the shop, and registers the server's features", async () => {
    const require = createRequire(import.meta.url);
    const Module = require("node:module") as { _load: (request: string, ...rest: unknown[]) => unknown };
    const shop = join(repoRoot, "examples/shop");
    const { module: stub, record } = createVscodeStub(shop, {});
    const load = Module._load;
    Module._load = function (request: string, ...rest: unknown[]) {
      return request === "vscode" ? stub : load.call(this, request, ...rest);
    };
    const root = join(dir, "extension");
    type Api = { client: { initializeResult?: { capabilities: Record<string, unknown>; serverInfo?: { name: string } }; sendRequest: (method: string, params: unknown) => Promise<unknown> } };
    const extension = require(join(root, "dist/extension.cjs")) as { activate: (context: unknown) => Promise<Api>; deactivate: () => Promise<void> };
    try {
      const api = await extension.activate({ subscriptions: [], asAbsolutePath: (p: string) => join(root, p), extensionPath: root });
      expect(api.client.initializeResult?.serverInfo?.name).toBe("eda");
      expect(Object.keys(api.client.initializeResult?.capabilities ?? {})).toEqual(expect.arrayContaining(["hoverProvider", "renameProvider", "completionProvider", "codeActionProvider"]));
      expect(record.registered).toEqual(expect.arrayContaining(["languages.registerHoverProvider", "languages.registerRenameProvider", "languages.registerCodeActionsProvider"]));
      // The bundled server found the shop: a definition across files.
      const uri = pathToFileURL(join(shop, "ordering.eda")).href;
      const defs = (await api.client.sendRequest("textDocument/definition", { textDocument: { uri }, position: { line: 10, character: 14 } })) as { uri: string }[];
      expect(defs.map((d) => d.uri)).toEqual([pathToFileURL(join(shop, "common.eda")).href]);
    } finally {
      await extension.deactivate();
      Module._load = load;
    }
  });
});

describe("the offline guard used while packing", () => {
  const guard = pathToFileURL(join(extensionDir, "scripts/offline-guard.mjs")).href;
  const run = (code: string) => spawnSync(process.execPath, [`--import=${guard}`, "--input-type=module", "-e", code], { encoding: "utf8" });

  it("fails any network access loudly", () => {
    for (const code of [
      'await fetch("http://registry.invalid/")',
      'import net from "node:net"; net.connect(443, "registry.invalid")',
      'import https from "node:https"; https.get("https://registry.invalid/")',
    ]) {
      const result = run(code);
      expect(result.status, code).not.toBe(0);
      expect(result.stderr, code).toContain(BLOCKED);
    }
  });

  it("lets a program that stays offline run", () => {
    const result = run('import { readFileSync } from "node:fs"; readFileSync(process.execPath); console.log("ok")');
    expect({ status: result.status, stdout: result.stdout.trim() }).toEqual({ status: 0, stdout: "ok" });
  });
});
