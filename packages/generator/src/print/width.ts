/** The columns a text takes, as Prettier counts them. */

// Wide (East Asian) characters take two columns and combining marks none, as Prettier counts.
const NOT_NARROW = /[^\x20-\x7e]/;
const COMBINING = /\p{M}/u;
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;

/** The columns `text` takes. */
export function textWidth(text: string): number {
  // Most texts are printable ASCII (punctuation, keywords, names): one column per character. A
  // loop over char codes answers that faster than a regular expression for the short ones.
  if (text.length < 64) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x20 || code > 0x7e) return mixedWidth(text);
    }
    return text.length;
  }
  return NOT_NARROW.test(text) ? mixedWidth(text) : text.length;
}

/**
 * The columns of a text with characters outside printable ASCII. Below U+0300 no character is
 * combining or wide, so only the rarer ones take the regular expressions (one code point each).
 */
function mixedWidth(text: string): number {
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x300) width++;
    else {
      const ch = String.fromCodePoint(text.codePointAt(i) as number);
      if (ch.length === 2) i++;
      width += COMBINING.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1;
    }
  }
  return width;
}
