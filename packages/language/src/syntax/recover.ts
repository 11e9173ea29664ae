/**
 * Recovery inside an aggregate or service: the item (a line of its body, with any block it
 * opens) that holds a syntax error is cut out, so the handlers around it are kept.
 */
import type { IToken } from "chevrotain";
import * as T from "./tokens.js";

export interface DroppedItem {
  /** The chunk without the item. */
  readonly tokens: IToken[];
  /** The command of a dropped `on Command …` handler. */
  readonly command?: IToken;
}

/** Whether a chunk is a declaration whose body items can be dropped one by one. */
export function hasDroppableItems(chunk: readonly IToken[]): boolean {
  const first = chunk[0]?.tokenType;
  return first === T.Kw.aggregate || first === T.Kw.service;
}

/** The chunk without the body item that holds `at`, or undefined when `at` is not inside one. */
export function dropItem(chunk: readonly IToken[], at: IToken, text: string): DroppedItem | undefined {
  const i = chunk.indexOf(at);
  if (i <= 0) return undefined;
  // The nesting of each token: a `{` and its `}` sit at the level outside them.
  const depth: number[] = [];
  let d = 0;
  for (const t of chunk) {
    if (t.tokenType === T.RCurly) d--;
    depth.push(d);
    if (t.tokenType === T.LCurly) d++;
  }
  const startsItem = (k: number): boolean => {
    const prev = chunk[k - 1];
    const t = chunk[k] as IToken;
    if (depth[k] !== 1 || !prev || t.tokenType === T.RCurly) return false;
    return (prev.tokenType === T.LCurly && depth[k - 1] === 0) || text.slice(prev.startOffset + prev.image.length, t.startOffset).includes("\n");
  };
  // Stuck on the body's closing `}`: the last item is unfinished.
  const closing = depth[i] === 0 && at.tokenType === T.RCurly;
  if ((depth[i] ?? 0) < 1 && !closing) return undefined;
  let start = closing ? i - 1 : i;
  while (start > 0 && !startsItem(start)) start--;
  if (start === 0) return undefined;
  // An error on the first token of an item is most often the previous item left unfinished.
  if (!closing && start === i) {
    let prev = i - 1;
    while (prev > 0 && !startsItem(prev)) prev--;
    if (prev > 0) start = prev;
  }
  let end = Math.max(i, start + 1);
  while (end < chunk.length && !startsItem(end) && depth[end] !== 0) end++;
  const on = chunk[start] as IToken;
  let name = start + 1;
  while (chunk[name + 1]?.tokenType === T.Dot && name + 2 < end) name += 2;
  const command = on.tokenType === T.Kw.on && name < end && chunk[start + 1]?.tokenType !== T.Colon ? chunk[name] : undefined;
  return { tokens: [...chunk.slice(0, start), ...chunk.slice(end)], ...(command ? { command } : {}) };
}
