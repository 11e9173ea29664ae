/**
 * A deterministic generator of junk `.eda` text: random tokens of the language (keywords, names,
 * punctuation, strings, numbers, durations, versions, comments, stray characters) with random
 * spacing and line breaks. Used to check that the front end stays fast and never throws on input
 * that is not a model at all.
 *
 * Pure: no file system. Plain ESM so that `pnpm bench` runs it without a build step.
 */
import { createRandom } from "./synthetic-words.mjs";

const KEYWORDS = [
  "context", "use", "type", "enum", "command", "event", "upcast", "aggregate", "service", "projection", "workflow",
  "stream", "state", "on", "emits", "snapshot", "every", "key", "fields", "from", "compute", "orchestrated",
  "choreographed", "start", "correlate", "timeout", "step", "send", "await", "fail", "compensate", "retry", "complete",
  "true", "false",
];
const NAMES = ["Order", "orderId", "Money", "string", "int", "map", "uuid", "Placed", "x", "Shop", "lines", "total"];
const PUNCTUATION = ["{", "}", "(", ")", "[", "]", "<", ">", ",", ":", ";", ".", "?", "=", "|", "@", "->"];
const OTHERS = ['"text"', '"unclosed', "42", "-1.5e3", "30m", "v2", "v0", "/// doc", "// note", "/* block */", "#", "\\", "€"];
const SPACES = [" ", " ", " ", "\n", "\n  ", "\t"];

/**
 * About `bytes` bytes of junk.
 * @param {number} bytes
 * @param {number} [seed]
 * @returns {string}
 */
export function generateJunk(bytes, seed = 1) {
  const random = createRandom(seed);
  const pools = [KEYWORDS, NAMES, PUNCTUATION, PUNCTUATION, OTHERS];
  const parts = [];
  let size = 0;
  while (size < bytes) {
    const token = random.pick(random.pick(pools));
    const space = random.pick(SPACES);
    parts.push(token, space);
    size += token.length + space.length;
  }
  return parts.join("");
}
