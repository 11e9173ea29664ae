/** The columns a text, or a Doc printed flat, takes, as Prettier counts them. */
import { type Doc, type DocNode, UNMEASURED } from "./doc.js";

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

/** The columns of a text with characters outside printable ASCII, one code point at a time. */
function mixedWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += COMBINING.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1;
  return width;
}

/**
 * The columns `doc` takes printed flat if at most `limit`; `limit + 1` when its text goes beyond
 * `limit` before anything that depends on the layout, -1 when something does (a forced break, a
 * broken group, an `ifBreak` asking another group). Groups measured in full keep their width.
 */
export function flatWidth(doc: Doc, limit: number): number {
  if (typeof doc === "string") return Math.min(textWidth(doc), limit + 1);
  if (Array.isArray(doc)) {
    let width = 0;
    for (const part of doc as readonly Doc[]) {
      const w = flatWidth(part, limit - width);
      if (w < 0) return -1;
      width += w;
      if (width > limit) return limit + 1;
    }
    return width;
  }
  const node = doc as DocNode;
  switch (node.kind) {
    case "line":
      return node.hard ? -1 : Math.min(node.soft ? 0 : 1, limit + 1);
    case "breakParent":
      return -1;
    case "group":
      return node.broken ? -1 : groupFlatWidth(node, limit);
    case "ifBreak":
      return node.groupId === undefined ? flatWidth(node.flatContents, limit) : -1;
    default:
      return flatWidth(node.contents, limit);
  }
}

/** `flatWidth` of a group's contents, from its cache or measured (and kept when measured in full). */
export function groupFlatWidth(node: Extract<DocNode, { kind: "group" }>, limit: number): number {
  if (node.flat === UNMEASURED) {
    const w = flatWidth(node.contents, limit);
    if (w <= limit) node.flat = w;
    return w;
  }
  return node.flat > limit ? limit + 1 : node.flat;
}
