/**
 * The VS Code extension: its manifest, snippets and Markdown injection, and the `.vsix` that
 * `pnpm package:vscode` builds offline, opened and checked.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parseFile } from "../../packages/language/src/index.js";
import { BLOCKED } from "../../packages/vscode/scripts/offline-guard.mjs";
import { loadGrammar, tokenizeText } from "../../packages/vscode/scripts/textmate.mjs";
import { readZip } from "../../packages/vscode/scripts/zip.mjs";
import { innermost, isKeywordScope, lex, lexicon, repoRoot, scopeAt, tokensOf } from "./support.js";

const extensionDir = join(repoRoot, "packages/vscode");
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"));

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly publisher: string;
  readonly engines: { readonly vscode: string };
  readonly contributes: {
    readonly languages: readonly { id: string; extensions: string[]; configuration: string; icon?: { light: string; dark: string } }[];
    readonly grammars: readonly { language?: string; scopeName: string; path: string; injectTo?: string[]; embeddedLanguages?: Record<string, string> }[];
    readonly snippets: readonly { language: string; path: string }[];
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

  it("is a declarative extension that VS Code can load", () => {
    expect(manifest).toMatchObject({ name: "eda-vscode", publisher: "eda" });
    expect(manifest.engines.vscode).toMatch(/^\^1\.\d+\.\d+$/);
    expect(manifest).not.toHaveProperty("main");
    expect(manifest).not.toHaveProperty("activationEvents");
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
      const syntaxErrors = parseFile({ path: `${name}.eda`, text: inFile }).diagnostics.filter((d) => d.code.startsWith("EDA1"));
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
