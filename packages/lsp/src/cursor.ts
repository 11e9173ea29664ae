/**
 * Where the cursor is, syntactically, for completion: the declaration it is in, the blocks
 * opened around it, and the text before it on its line. Read from the text itself (not the AST),
 * because while a name is being typed the declaration around it rarely parses.
 */
const DECLARATION = /^(context|use|type|enum|command|event|upcast|aggregate|service|projection|workflow)\b/;

export interface Cursor {
  /** The keyword of the declaration the cursor is in, or undefined at the top level. */
  readonly declaration?: string;
  /** The text of the declaration's first line, up to its `{`. */
  readonly header: string;
  /** What precedes each `{` still open around the cursor, outermost first (`step pay`, `state`, `send Pay`). */
  readonly blocks: readonly string[];
  /** The text before the cursor on its line (after the innermost open `{` on that line). */
  readonly before: string;
  /** The partial word just before the cursor, and where it starts. */
  readonly word: string;
  readonly wordStart: number;
}

/** Analyses the text around `offset`. */
export function cursorAt(text: string, offset: number): Cursor {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const wordStart = wordStartBefore(text, lineStart, offset);
  const word = text.slice(wordStart, offset);
  const declStart = declarationStart(text, lineStart);
  if (declStart === undefined) return { header: "", blocks: [], before: text.slice(lineStart, offset), word, wordStart };
  const { blocks, closed, lastOpen } = openBlocks(text, declStart, offset);
  const firstLineEnd = text.indexOf("\n", declStart);
  const header = text.slice(declStart, Math.min(firstLineEnd === -1 ? text.length : firstLineEnd, text.indexOf("{", declStart) === -1 ? Infinity : text.indexOf("{", declStart))).trim();
  const keyword = DECLARATION.exec(text.slice(declStart, declStart + 12))?.[1];
  const top = closed || keyword === "context" || keyword === "use";
  const from = Math.max(lineStart, lastOpen + 1);
  const before = text.slice(from, offset);
  if (top && !blocks.length) return { header: "", blocks: [], before: text.slice(lineStart, offset), word, wordStart };
  return { ...(keyword ? { declaration: keyword } : {}), header, blocks, before, word, wordStart };
}

/**
 * Where the name that ends at `offset` starts (`offset` when none does): scanned backwards, because
 * a pattern anchored at the end (`[A-Za-z_]\w*$`) backtracks over a long run of word characters
 * from each of its positions, quadratic in the run's length.
 */
function wordStartBefore(text: string, lineStart: number, offset: number): number {
  let start = offset;
  while (start > lineStart && /\w/.test(text[start - 1] as string)) start--;
  // A name does not start with a digit.
  while (start < offset && /\d/.test(text[start] as string)) start++;
  return start;
}

/** The start of the last line before `lineStart` (or this one) that begins with a declaration keyword. */
function declarationStart(text: string, lineStart: number): number | undefined {
  let at = lineStart;
  for (;;) {
    if (DECLARATION.test(text.slice(at, at + 12))) return at;
    if (at === 0) return undefined;
    at = text.lastIndexOf("\n", at - 2) + 1;
  }
}

/** The `{` still open between `start` and `end`, skipping strings and comments. */
function openBlocks(text: string, start: number, end: number): { blocks: string[]; closed: boolean; lastOpen: number } {
  const stack: { header: string; at: number }[] = [];
  let closed = false;
  let segment = start;
  for (let i = start; i < end; i++) {
    const ch = text[i];
    if (ch === "/" && text[i + 1] === "/") {
      const nl = text.indexOf("\n", i);
      i = nl === -1 ? end : nl;
      segment = i + 1;
    } else if (ch === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      i = close === -1 ? end : close + 1;
    } else if (ch === '"') {
      while (++i < end && text[i] !== '"' && text[i] !== "\n") if (text[i] === "\\") i++;
    } else if (ch === "{") {
      stack.push({ header: text.slice(segment, i).replace(/\s+/g, " ").trim(), at: i });
      segment = i + 1;
    } else if (ch === "}") {
      stack.pop();
      if (stack.length === 0) closed = true;
      segment = i + 1;
    } else if (ch === "\n" || ch === ";") segment = i + 1;
  }
  const last = stack[stack.length - 1];
  return { blocks: stack.map((s) => s.header), closed: closed && stack.length === 0, lastOpen: last && text.lastIndexOf("\n", end - 1) < last.at ? last.at : -1 };
}
