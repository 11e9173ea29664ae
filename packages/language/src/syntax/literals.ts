/** Decoding of literal token texts: strings, numbers and durations. */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration literal such as `30m` or `2s`. */
export function parseDuration(text: string): number {
  const m = /^([0-9]+)(ms|s|m|h|d)$/.exec(text);
  if (!m) return NaN;
  return Number(m[1]) * (UNIT_MS[m[2] as string] ?? NaN);
}

export function parseNumber(text: string): number {
  return Number(text);
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", "0": "\0" };

/**
 * The value of a string literal (quotes included in `text`). Supported escapes: `\" \\ \/ \n \t
 * \r \b \f \0 \uXXXX \u{X…}`. Reports the offset (within `text`) of the first invalid escape.
 */
export function unescapeString(text: string): { value: string; badEscape?: { offset: number; length: number } } {
  const body = text.endsWith('"') && text.length >= 2 ? text.slice(1, -1) : text.slice(1);
  let out = "";
  let badEscape: { offset: number; length: number } | undefined;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const next = body[i + 1] ?? "";
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i++;
      continue;
    }
    const unicode = /^u(?:([0-9a-fA-F]{4})|\{([0-9a-fA-F]{1,6})\})/.exec(body.slice(i + 1));
    const code = unicode ? parseInt((unicode[1] ?? unicode[2]) as string, 16) : NaN;
    if (unicode && code <= 0x10ffff) {
      out += String.fromCodePoint(code);
      i += unicode[0].length;
      continue;
    }
    badEscape ??= { offset: i + 1, length: next === "" ? 1 : 2 };
    out += next;
    i++;
  }
  return badEscape ? { value: out, badEscape } : { value: out };
}

/** A string literal for `.eda` source that reads back as `value`. */
export function quoteString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) out += `\\u{${code.toString(16)}}`;
    else out += ch;
  }
  return out + '"';
}
