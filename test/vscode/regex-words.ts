/**
 * The literal words of a regular expression: what it spells out letter by letter, leaving out
 * escapes (`\b`, `\x{FEFF}`), character classes (`[A-Za-z_]`), group syntax and quantifiers.
 * `\b(on)[ \t]+(?:(complete)|(fail))\b` → `on`, `complete`, `fail`. Works for Oniguruma (the
 * grammar) and JavaScript (the lexer) sources alike. Words inside a negative lookaround
 * (`(?!true)`) are left out too: they name what must not be there.
 */
export function literalWords(source: string): string[] {
  let plain = "";
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === "\\") {
      // An escape; `\x{…}`, `\u{…}`, `\p{…}` carry braces.
      const brace = /^\\[xupPk]\{[^}]*\}/.exec(source.slice(i));
      i += brace ? brace[0].length : 2;
      plain += " ";
    } else if (c === "[") {
      i = skipClass(source, i);
      plain += " ";
    } else if (source.startsWith("(?!", i) || source.startsWith("(?<!", i)) {
      // A negative lookaround names what is *not* there: its words are not spelled out.
      i = skipGroup(source, i);
      plain += " ";
    } else if (source.startsWith("(?", i)) {
      const group = /^\(\?(?:<[=!]|[=!:>]|<[A-Za-z_][A-Za-z0-9_]*>|[imxWDSP-]+:?)/.exec(source.slice(i));
      i += group ? group[0].length : 2;
      plain += " ";
    } else if (c === "{" && /^\{\d+(?:,\d*)?\}/.test(source.slice(i))) {
      i = source.indexOf("}", i) + 1;
      plain += " ";
    } else {
      plain += c;
      i++;
    }
  }
  return plain.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
}

/** Index just past the character class that opens at `start`. */
function skipClass(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === "^") i++;
  if (source[i] === "]") i++;
  while (i < source.length && source[i] !== "]") {
    if (source[i] === "\\") {
      const brace = /^\\[xupP]\{[^}]*\}/.exec(source.slice(i));
      i += brace ? brace[0].length : 2;
    } else if (source[i] === "[") {
      i = skipClass(source, i); // Oniguruma allows nested classes
    } else {
      i++;
    }
  }
  return i + 1;
}

/** Index just past the group that opens at `start`. */
function skipGroup(source: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < source.length) {
    const c = source[i];
    if (c === "\\") i += 2;
    else if (c === "[") i = skipClass(source, i);
    else {
      if (c === "(") depth++;
      if (c === ")" && --depth === 0) return i + 1;
      i++;
    }
  }
  return i;
}
