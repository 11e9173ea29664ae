/**
 * What `eda init --existing` adds to a project's .gitignore: the lines that keep out what a new
 * eda project keeps out (the generated code, which `eda generate` rewrites, and the default
 * store's files), unless some line covers them already. Pure: text in, text out.
 */
import picomatch from "picomatch";

/** A line eda wants in .gitignore and paths it must cover (a folder's end in `/`). */
export interface Ignore {
  readonly line: string;
  readonly paths: readonly string[];
}

/** The ignores of an eda project whose generated code goes to `out`. */
export function edaIgnores(out: string): Ignore[] {
  return [
    { line: `${out}/`, paths: [`${out}/`] },
    { line: "eda.db*", paths: ["eda.db", "eda.db-wal", "eda.db-shm"] },
  ];
}

/** The ignores that no line of .gitignore `text` covers yet. */
export function missingIgnores(text: string, wanted: readonly Ignore[]): Ignore[] {
  const rules = text.split(/\r?\n/).flatMap(toRule);
  return wanted.filter((ignore) => !ignore.paths.every((path) => isIgnored(path, rules)));
}

/** `text` with `ignores` appended under a comment, in the file's own line ends. */
export function withIgnores(text: string, ignores: readonly Ignore[]): string {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = ["# eda: the generated code (eda generate rewrites it) and the app's default store", ...ignores.map((i) => i.line)];
  const gap = text === "" ? "" : text.endsWith("\n") ? eol : eol + eol;
  return `${text}${gap}${lines.join(eol)}${eol}`;
}

interface Rule {
  readonly negated: boolean;
  readonly matches: (path: string) => boolean;
  readonly folderOnly: boolean;
}

/**
 * One line as gitignore reads it: a pattern with a slash before its end is anchored at the file's
 * folder, one without matches a name at any depth; a final slash matches folders only.
 */
function toRule(line: string): Rule[] {
  const trimmed = line.trim();
  if (trimmed === "" || trimmed.startsWith("#")) return [];
  const negated = trimmed.startsWith("!");
  let pattern = negated ? trimmed.slice(1) : trimmed;
  const folderOnly = pattern.endsWith("/");
  pattern = pattern.replace(/\/+$/, "");
  const anchored = pattern.includes("/");
  pattern = pattern.replace(/^\//, "");
  const match = picomatch(pattern, { dot: true });
  const matches = anchored ? match : (path: string) => match(path.split("/").at(-1) ?? path);
  return [{ negated, matches, folderOnly }];
}

/** True when `path` or a folder above it is ignored: the last rule to match a path decides it. */
function isIgnored(path: string, rules: readonly Rule[]): boolean {
  const parts = path.replace(/\/$/, "").split("/");
  return parts.some((_, i) => {
    const prefix = parts.slice(0, i + 1).join("/");
    const isFolder = i < parts.length - 1 || path.endsWith("/");
    let ignored = false;
    for (const rule of rules) if ((isFolder || !rule.folderOnly) && rule.matches(prefix)) ignored = !rule.negated;
    return ignored;
  });
}
