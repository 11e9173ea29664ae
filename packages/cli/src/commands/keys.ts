/**
 * `eda keys rotate-master [--store URL] [--config FILE]`: master-key rotation by the operator.
 * Every data key in the store's key table is rewrapped from the old master key
 * (`EDA_OLD_MASTER_KEY`; unset when the keys are stored unwrapped today) to the new one
 * (`EDA_MASTER_KEY`), both base64 of 32 bytes, in one transaction: on any failure nothing is
 * written. Keys already under the new one are left as they are, so the command can run again.
 * The store is chosen as for `eda forget`; the runtime is the project's own. Exit 0 when done,
 * 2 on usage or I/O errors (a wrong old key among them), and when the store holds no key and no
 * event: a URL naming another database must not read as a rotation done.
 */
import { loadConfig } from "../config.js";
import { CliError } from "../errors.js";
import { loadProjectRuntime, type PurgeReport } from "../store/load-model-codec.js";
import type { Terminal } from "../terminal.js";
import { headOf, reportPurge } from "./forget.js";
import { open, storeUrl } from "./store-verify.js";

export interface RotateMasterOptions {
  readonly store?: string;
  readonly config?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export async function runRotateMaster(options: RotateMasterOptions, term: Terminal): Promise<number> {
  const env = options.env ?? process.env;
  const to = masterKey(env, "EDA_MASTER_KEY");
  if (to === undefined) throw new CliError("set EDA_MASTER_KEY to the new master key (base64 of 32 bytes), and EDA_OLD_MASTER_KEY to the old one if there is one");
  const from = masterKey(env, "EDA_OLD_MASTER_KEY");
  const config = await loadConfig(term.cwd, { ...(options.config !== undefined ? { file: options.config } : {}), optional: true });
  const url = storeUrl(options, config?.store);
  const runtime = await loadProjectRuntime(term.cwd, term.cwd);
  if (runtime.rewrapKeys === undefined) throw new CliError("the project's @eda/runtime cannot rewrap keys: update it to a version with master-key rotation");
  const store = await open(runtime, url);
  try {
    let report: { rewrapped: number; already: number; purge?: PurgeReport };
    try {
      report = await runtime.rewrapKeys(store, { ...(from === undefined ? {} : { from }), to });
    } catch (error) {
      throw new CliError(`${error instanceof Error ? error.message : String(error)}; nothing was changed`);
    }
    if (report.rewrapped + report.already === 0 && (await headOf(store)) === 0) {
      throw new CliError("the store holds no data key and no events: is it the right store? Check --store, EDA_STORE or the config's \"store\" (nothing was changed)");
    }
    const keys = (n: number): string => `${n} data key${n === 1 ? "" : "s"}`;
    if (report.rewrapped === 0 && report.already > 0) {
      // A run again after a rotation, or the current key given as the new one: say that nothing turned.
      term.out(
        `${report.already === 1 ? "the data key is" : `all ${report.already} data keys are`} under this EDA_MASTER_KEY already: nothing was rotated` +
          (from === undefined ? "; to rotate, set EDA_OLD_MASTER_KEY to this key and EDA_MASTER_KEY to a new one\n" : "\n"),
      );
      return reportPurge(report.purge, "eda keys rotate-master", term);
    }
    term.out(
      `rewrapped ${keys(report.rewrapped)} under the new master key` +
        (report.already > 0 ? ` (${keys(report.already)} already were)` : "") +
        `; run every process with the new EDA_MASTER_KEY\n`,
    );
    return reportPurge(report.purge, "eda keys rotate-master", term);
  } finally {
    await store.close();
  }
}

/**
 * A master key from the environment: base64 of 32 bytes, or undefined when unset. Decoded as
 * strictly as the runtime's `decodeMasterKey` (the project's runtime may be older than this CLI):
 * Node's decoder would skip a mistyped character and take the key as another.
 */
function masterKey(env: NodeJS.ProcessEnv, name: string): Buffer | undefined {
  const text = env[name]?.trim();
  if (text === undefined || text === "") return undefined;
  if (/^[A-Za-z0-9+/]{43}=?$/.test(text)) return Buffer.from(text, "base64");
  const stray = /[^A-Za-z0-9+/=]|=(?=.*[^=])/.exec(text);
  const what = stray !== null ? `character ${stray.index + 1} is not a base64 digit` : `not ${Buffer.from(text, "base64").length} bytes`;
  throw new CliError(`${name} must be 32 bytes in base64 (44 characters, as \`openssl rand -base64 32\` prints), ${what}`);
}
