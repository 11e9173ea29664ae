// Tokenizes text with the engine VS Code runs (vscode-textmate on vscode-oniguruma), for the
// tests and for looking at scopes by hand:
//   node packages/vscode/scripts/textmate.mjs file.eda…   prints every token's scopes
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import vsctm from "vscode-textmate";
import oniguruma from "vscode-oniguruma";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

/** The repository root (the folder holding `grammar/`). */
export const repoRoot = resolve(here, "../../..");

/** Grammar files by scope name: the source of truth in `grammar/`, the Markdown injection in the extension. */
export const grammarFiles = {
  "source.eda": join(repoRoot, "grammar/eda.tmLanguage.json"),
  "markdown.eda.codeblock": join(repoRoot, "packages/vscode/syntaxes/markdown-eda.tmLanguage.json"),
};

let onigLib;
function loadOniguruma() {
  onigLib ??= readFile(require.resolve("vscode-oniguruma/release/onig.wasm")).then(async (wasm) => {
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    return {
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (text) => new oniguruma.OnigString(text),
    };
  });
  return onigLib;
}

/**
 * Loads a grammar by scope name. `files` maps scope names to grammar paths (default: this
 * repository's); `injections` maps a scope to the scopes injected into it.
 */
export async function loadGrammar(scopeName = "source.eda", { files = grammarFiles, injections = {} } = {}) {
  const registry = new vsctm.Registry({
    onigLib: loadOniguruma(),
    loadGrammar: async (name) => {
      const path = files[name];
      return path === undefined ? null : vsctm.parseRawGrammar(await readFile(path, "utf8"), path);
    },
    getInjections: (name) => injections[name],
  });
  const grammar = await registry.loadGrammar(scopeName);
  if (grammar === null) throw new Error(`no grammar for ${scopeName}`);
  return grammar;
}

/**
 * Tokenizes a whole text line by line, carrying the rule stack across lines as VS Code does.
 * Returns one entry per line: its text and its tokens (0-based columns, full scope stacks).
 */
export function tokenizeText(grammar, text) {
  let state = vsctm.INITIAL;
  return text.split(/\r\n|\r|\n/).map((line, index) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    const tokens = result.tokens
      .map((t) => ({ start: t.startIndex, end: Math.min(t.endIndex, line.length), scopes: t.scopes }))
      .filter((t) => t.end > t.start)
      .map((t) => ({ ...t, text: line.slice(t.start, t.end) }));
    return { line: index + 1, text: line, tokens };
  });
}

/**
 * Renders the scopes of a tokenized text for review: each non-blank line, then one row per
 * non-whitespace token with its scopes (the root scope left out).
 */
export function formatScopes(lines) {
  const out = [];
  for (const { text, tokens } of lines) {
    if (text.trim() === "") continue;
    out.push(`> ${text}`);
    for (const t of tokens) {
      if (t.text.trim() === "") continue;
      const scopes = t.scopes.slice(1).join(" ");
      out.push(`  ${JSON.stringify(t.text.trim())} ${scopes === "" ? "(none)" : scopes}`);
    }
  }
  return out.join("\n") + "\n";
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const grammar = await loadGrammar();
  for (const file of process.argv.slice(2)) {
    process.stdout.write(`=== ${relative(process.cwd(), file)}\n`);
    process.stdout.write(formatScopes(tokenizeText(grammar, await readFile(file, "utf8"))));
  }
}
