/** Data keys drawn many at a time are as fresh as one at a time: distinct ids, distinct 32-byte keys. */
import { describe, expect, it } from "vitest";
import { newDataKey, newDataKeys } from "../../src/crypto/key-store.js";

describe("newDataKeys", () => {
  it("gives distinct ids (16 hex digits) and distinct 256-bit keys from one random draw", () => {
    const keys = [...newDataKeys(200), newDataKey(), newDataKey()];
    expect(keys).toHaveLength(202);
    for (const k of keys) {
      expect(k.id).toMatch(/^[0-9a-f]{16}$/);
      expect(k.key).toHaveLength(32);
    }
    expect(new Set(keys.map((k) => k.id)).size).toBe(202);
    expect(new Set(keys.map((k) => k.key.toString("hex"))).size).toBe(202);
    // No key's bytes overlap its id or a neighbour's key (the draw is cut, never reused).
    const [a, b] = keys;
    expect(a!.key.toString("hex").includes(b!.id)).toBe(false);
  });
});
