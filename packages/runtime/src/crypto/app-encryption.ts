/**
 * How `createApp` switches crypto-shredding on: when the model has `@pii(subject)` fields, the
 * app's store is wrapped by `encryptedStore` (unless it already is one), with the keys in the
 * store's own database (`sqlKeyStore`; the memory store keeps them in memory), wrapped under
 * `EDA_MASTER_KEY` (base64 of 32 bytes) when that is set. `encryption: false` turns it off
 * (events are then stored in clear, and still read); `encryption: { keys }` brings a key store
 * of one's own (a KMS adapter).
 */
import type { CodecTable } from "../codec/table.js";
import type { EventStore } from "../store/event-store.js";
import { encryptedStore, hasEncryptedFields, type EncryptedEventStore, type EncryptedStoreOptions } from "./encrypted-store.js";
import { memoryKeyStore, type KeyStore } from "./key-store.js";
import { sqlKeyStore } from "./sql-key-store.js";

/** `AppOptions.encryption`. */
export type AppEncryption = false | (EncryptedStoreOptions & { readonly keys?: KeyStore; readonly masterKey?: Buffer });

/** Whether a store is already an encrypting one. */
export function isEncryptedStore(store: EventStore): store is EncryptedEventStore {
  return typeof (store as Partial<EncryptedEventStore>).decryptEnvelope === "function";
}

/** The master key from `EDA_MASTER_KEY` (base64 of 32 bytes), or undefined when unset. */
export function masterKeyFromEnv(env: NodeJS.ProcessEnv = process.env): Buffer | undefined {
  const text = env["EDA_MASTER_KEY"]?.trim();
  if (text === undefined || text === "") return undefined;
  return decodeMasterKey(text, "EDA_MASTER_KEY");
}

/** 32 bytes in base64: 43 digits and the padding `=` (which may be left out). */
const MASTER_KEY_BASE64 = /^[A-Za-z0-9+/]{43}=?$/;

/**
 * A master key's text decoded, strictly: Node's base64 decoder skips characters outside the
 * alphabet and anything after the padding, so a mistyped key would be taken as another key.
 * The message names the variable and what is wrong, never the key.
 */
export function decodeMasterKey(text: string, name: string): Buffer {
  if (MASTER_KEY_BASE64.test(text)) return Buffer.from(text, "base64");
  const stray = /[^A-Za-z0-9+/=]|=(?=.*[^=])/.exec(text);
  const what = stray !== null ? `character ${stray.index + 1} is not a base64 digit` : `not ${Buffer.from(text, "base64").length} bytes`;
  throw new Error(`${name} must be 32 bytes in base64 (44 characters, as \`openssl rand -base64 32\` prints), ${what}`);
}

/**
 * The store the app uses: `store` wrapped for the `@pii(subject)` fields of the codec's table (a
 * generated codec has one), or as it is.
 */
export function withEncryption(store: EventStore, codec: object, encryption: AppEncryption | undefined): EventStore {
  const table = (codec as { table?: Pick<CodecTable, "events"> & Partial<Pick<CodecTable, "commands">> }).table;
  if (encryption === false || table === undefined || isEncryptedStore(store) || !hasEncryptedFields(table)) return store;
  const options = encryption ?? {};
  const masterKey = options.masterKey ?? masterKeyFromEnv();
  const keys = options.keys ?? (store.engine === "memory" ? memoryKeyStore() : sqlKeyStore(store, masterKey === undefined ? {} : { masterKey }));
  return encryptedStore(store, table, keys, options);
}
