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
  // Runs without escapes are copied whole: adding one character at a time would build a rope of
  // millions of pieces for a long string.
  const parts: string[] = [];
  let badEscape: { offset: number; length: number } | undefined;
  let from = 0;
  for (let i = body.indexOf("\\"); i !== -1; i = body.indexOf("\\", from)) {
    parts.push(body.slice(from, i));
    const next = body[i + 1] ?? "";
    const simple = SIMPLE_ESCAPES[next];
    const unicode = simple === undefined && next === "u" ? unicodeEscape(body, i + 2) : undefined;
    if (simple !== undefined) {
      parts.push(simple);
      from = i + 2;
    } else if (unicode) {
      parts.push(String.fromCodePoint(unicode.code));
      from = unicode.end;
    } else {
      badEscape ??= { offset: i + 1, length: next === "" ? 1 : 2 };
      parts.push(next);
      from = i + 2;
    }
  }
  parts.push(body.slice(from));
  const value = parts.join("");
  return badEscape ? { value, badEscape } : { value };
}

const HEX = /^[0-9a-fA-F]+$/;

/** `XXXX` or `{X…}` (1–6 hex digits, at most 10FFFF) at `at`, just after `\u`. */
function unicodeEscape(body: string, at: number): { code: number; end: number } | undefined {
  const braced = body[at] === "{";
  const near = braced ? body.slice(at + 1, at + 8).indexOf("}") : -1;
  const close = braced ? (near === -1 ? -1 : at + 1 + near) : at + 4;
  const digits = braced ? (close === -1 ? "" : body.slice(at + 1, close)) : body.slice(at, close);
  if (!HEX.test(digits) || (braced ? digits.length > 6 : digits.length !== 4)) return undefined;
  const code = parseInt(digits, 16);
  return code <= 0x10ffff ? { code, end: braced ? close + 1 : close } : undefined;
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
