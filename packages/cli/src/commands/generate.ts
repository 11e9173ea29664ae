import { CliError } from "../errors.js";
import { generateOnce, resolveSetup, type GenerateOptions } from "../generate/run.js";
import type { Terminal } from "../terminal.js";

export type { GenerateOptions } from "../generate/run.js";

/**
 * `eda generate [paths…] [--out DIR] [--handlers DIR] [--config FILE] [--check] [--watch]`:
 * generates TypeScript into the output folder (replaced as a whole, atomically) and brings the
 * handler scaffolds up to date. Returns the exit code: 0 done (or up to date), 1 the model has
 * errors (or, with `--check`, the output is out of date). Usage and I/O problems throw a CliError.
 * With `--watch` it runs until interrupted, and resolves to 0 then.
 */
export async function runGenerate(paths: readonly string[], options: GenerateOptions, term: Terminal): Promise<number> {
  if (options.watch) {
    if (options.check) throw new CliError("--check and --watch do not go together: --check is for one run in CI");
    // chokidar is loaded only here.
    const { watchGenerate } = await import("../generate/watch.js");
    return watchGenerate(paths, options, term);
  }
  const setup = await resolveSetup(paths, options, term.cwd);
  return generateOnce(setup, options.check, term);
}
