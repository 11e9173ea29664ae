import { describe, expect, it } from "vitest";
import { describeInvalidUtf8 } from "../src/sources.js";

const fatal = new TextDecoder("utf-8", { fatal: true });

function decodes(bytes: Uint8Array): boolean {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Random bytes biased towards UTF-8's lead and continuation bytes, where the hard cases are. */
function randomBytes(seed: number, length: number): Uint8Array {
  let state = seed;
  const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31), state);
  const pool = [0x0a, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
  return Uint8Array.from({ length }, () => (next() % 3 === 0 ? next() % 256 : (pool[next() % pool.length] as number)));
}

describe("describeInvalidUtf8", () => {
  it("finds a bad byte exactly when TextDecoder refuses the bytes, and the text before its line decodes", () => {
    for (let seed = 1; seed <= 5000; seed++) {
      const bytes = randomBytes(seed, 1 + (seed % 12));
      const described = describeInvalidUtf8(bytes);
      if (decodes(bytes)) {
        expect(described).toBe("not valid UTF-8");
        continue;
      }
      const line = Number(/^line (\d+) is not valid UTF-8 \(byte 0x[0-9A-F]{2}\)$/.exec(described)?.[1]);
      expect(line, `seed ${seed}`).toBeGreaterThan(0);
      let start = 0;
      for (let n = 1; n < line; n++) start = bytes.indexOf(0x0a, start) + 1;
      expect(decodes(bytes.slice(0, start)), `seed ${seed}`).toBe(true);
    }
  });
});
