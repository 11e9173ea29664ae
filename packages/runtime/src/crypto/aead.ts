/**
 * ChaCha20-Poly1305 (IETF: 256-bit key, 96-bit nonce, 128-bit tag) in one call per message.
 * Through libsodium (`sodium-native`, an optional dependency) when it loads — one crossing into
 * native code per seal or open, into buffers this module reuses — and through node:crypto's
 * `chacha20-poly1305` otherwise (five crossings, several times the cost). Both write and read
 * the same bytes: `nonce ‖ ciphertext ‖ tag`.
 *
 * `sodium-native` is loaded on the first seal or open, never on import, so the CLI's start and
 * every app without `@pii(subject)` fields never load it. `EDA_AEAD=node` makes node:crypto the
 * choice (for a platform whose prebuilt binary misbehaves); `useAead` does the same in tests.
 */
import { createCipheriv, createDecipheriv } from "node:crypto";
import { createRequire } from "node:module";

/** Bytes of the nonce at the start of a sealed message. */
export const NONCE_BYTES = 12;
/** Bytes of the authentication tag at its end. */
export const TAG_BYTES = 16;

/** Which implementation seals and opens: libsodium, or Node's OpenSSL. */
export type AeadBackend = "sodium" | "node";

interface Sodium {
  crypto_aead_chacha20poly1305_ietf_encrypt(c: Uint8Array, m: Uint8Array, ad: Uint8Array | null, nsec: null, npub: Uint8Array, k: Uint8Array): number;
  crypto_aead_chacha20poly1305_ietf_decrypt(m: Uint8Array, nsec: null, c: Uint8Array, ad: Uint8Array | null, npub: Uint8Array, k: Uint8Array): number;
}

let chosen: { readonly backend: AeadBackend; readonly sodium?: Sodium; readonly reason?: string } | undefined;

/**
 * The implementation in use (choosing it on first call): `sodium` when `sodium-native` loads and
 * `EDA_AEAD` is not `node`. `reason` says why node:crypto was chosen, when it was.
 */
export function aeadBackend(): { readonly backend: AeadBackend; readonly reason?: string } {
  chosen ??= choose("auto");
  return chosen.reason === undefined ? { backend: chosen.backend } : { backend: chosen.backend, reason: chosen.reason };
}

/**
 * Forces an implementation (tests; `"auto"` chooses again, as on first use, `EDA_AEAD` read anew). Asking for
 * `"sodium"` when it does not load throws.
 */
export function useAead(choice: AeadBackend | "auto"): void {
  chosen = choose(choice);
  if (choice === "sodium" && chosen.backend !== "sodium") throw new Error(`sodium-native does not load: ${chosen.reason ?? ""}`);
}

function loadedSodium(): Sodium | undefined {
  if (chosen === undefined) aeadBackend();
  return chosen?.sodium;
}

function choose(choice: AeadBackend | "auto"): NonNullable<typeof chosen> {
  if (choice === "node") return { backend: "node", reason: "useAead(\"node\")" };
  if (choice === "auto" && process.env["EDA_AEAD"] === "node") return { backend: "node", reason: "EDA_AEAD=node" };
  try {
    const sodium = createRequire(import.meta.url)("sodium-native") as Sodium;
    return { backend: "sodium", sodium };
  } catch (error) {
    // Not installed (an optional dependency) or no binary for this platform: the same bytes
    // through node:crypto, only slower.
    return { backend: "node", reason: error instanceof Error ? error.message.split("\n")[0] ?? "" : String(error) };
  }
}

/**
 * Seals `message` under `key` with `ad` authenticated, writing `ciphertext ‖ tag` into `sealed`
 * (exactly `message.length + TAG_BYTES` bytes). The views come from the caller's reused buffers,
 * so a seal allocates nothing on the sodium path.
 */
export function sealInto(sealed: Uint8Array, nonce: Uint8Array, key: Buffer, ad: Uint8Array, message: Uint8Array): void {
  const sodium = loadedSodium();
  if (sodium !== undefined) {
    sodium.crypto_aead_chacha20poly1305_ietf_encrypt(sealed, message, ad, null, nonce, key);
    return;
  }
  const cipher = createCipheriv("chacha20-poly1305", key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(ad, { plaintextLength: message.length });
  const written = cipher.update(message);
  cipher.final();
  sealed.set(written, 0);
  sealed.set(cipher.getAuthTag(), message.length);
}

/**
 * Opens `sealed` (`ciphertext ‖ tag`, under `nonce`) into `plain`, exactly `sealed.length -
 * TAG_BYTES` bytes. Throws when it does not authenticate.
 */
export function openInto(plain: Uint8Array, nonce: Uint8Array, key: Buffer, ad: Uint8Array, sealed: Uint8Array): void {
  const length = sealed.length - TAG_BYTES;
  if (length < 0 || plain.length !== length) throw new Error("a sealed message shorter than its tag, or a plaintext buffer of the wrong size");
  const sodium = loadedSodium();
  if (sodium !== undefined) {
    sodium.crypto_aead_chacha20poly1305_ietf_decrypt(plain, null, sealed, ad, nonce, key);
    return;
  }
  const decipher = createDecipheriv("chacha20-poly1305", key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(ad, { plaintextLength: length });
  decipher.setAuthTag(sealed.subarray(length));
  const opened = decipher.update(sealed.subarray(0, length));
  decipher.final(); // authenticates: throws when the bytes were altered
  plain.set(opened, 0);
}

// node:crypto gets the raw key, not a KeyObject: making one costs about 5 µs and saves about
// 1 µs per cipher, a loss for a subject seen a few times while its key is cached (SECURITY.md).
