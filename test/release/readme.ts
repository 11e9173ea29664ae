/**
 * The README's "first ten minutes" as data: its fenced blocks, in order, and the one shell
 * script that runs them as a reader would (one terminal, each `sh` block typed in turn, each file
 * block compared with the file `eda init` made).
 */

/** A fenced block of the section: `sh` runs, `file` is a file's expected text, `norun` is shown only. */
export type Block =
  | { readonly kind: "sh"; readonly text: string; readonly line: number }
  | { readonly kind: "file"; readonly path: string; readonly text: string; readonly line: number }
  | { readonly kind: "norun"; readonly text: string; readonly line: number };

/** The fenced blocks of the README section titled `title`; a block of any other kind is an error. */
export function readmeBlocks(readme: string, title: string): Block[] {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README.md has no section "## ${title}"`);
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const firstLine = readme.slice(0, start).split("\n").length;
  const blocks: Block[] = [];
  for (const match of section.matchAll(/^```(\S*)([^\n]*)\n([\s\S]*?)^```$/gm)) {
    const [, lang = "", info = "", text = ""] = match;
    const line = firstLine + section.slice(0, match.index).split("\n").length - 1;
    const file = /\bfile=(\S+)/.exec(info)?.[1];
    if (/\bnorun\b/.test(info)) blocks.push({ kind: "norun", text, line });
    else if (file !== undefined) blocks.push({ kind: "file", path: file, text, line });
    else if (lang === "sh") blocks.push({ kind: "sh", text, line });
    else throw new Error(`README.md:${line}: a \`\`\`${lang} block must be marked file=PATH or norun`);
  }
  return blocks;
}

/**
 * One bash script running the blocks in order: `set -e`, so the first failing command stops it;
 * before each block it prints a marker naming the README line, so a failure points at its block.
 */
export function blocksScript(blocks: readonly Block[]): string {
  const lines = ["set -euo pipefail"];
  for (const block of blocks) {
    if (block.kind === "norun") continue;
    lines.push(`echo "::README.md:${block.line}::" >&2`);
    if (block.kind === "sh") lines.push(block.text);
    else lines.push(`diff -u ${quote(block.path)} - <<'EDA_README_BLOCK'`, block.text.replace(/\n$/, ""), "EDA_README_BLOCK");
  }
  lines.push(`echo "::README.md:done::" >&2`);
  return `${lines.join("\n")}\n`;
}

/** The README line of the last block the script started, from its stderr. */
export function lastBlock(stderr: string): string {
  return [...stderr.matchAll(/::README\.md:(\w+)::/g)].at(-1)?.[1] ?? "none";
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
