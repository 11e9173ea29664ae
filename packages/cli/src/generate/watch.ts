/**
 * `eda generate --watch`: generates once, then again whenever a model file, a template of the
 * configured templates folder (or the config) changes, printing diagnostics and problems and
 * carrying on through them. Changes that arrive during a run start one more run after it. Ctrl-C (SIGINT) or SIGTERM stops it with exit 0.
 */
import { createParser } from "@eda/language";
import { realpathSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { CONFIG_FILE, type EdaConfig } from "../config.js";
import { CliError, EXIT } from "../errors.js";
import { displayPath } from "../sources.js";
import type { Terminal } from "../terminal.js";
import { generateOnce, resolveSetup, type GenerateOptions, type GenerateSetup } from "./run.js";

/** How long to wait for a burst of changes (an editor saving several files) to settle. */
const SETTLE_MS = 60;

/** Watches and regenerates until interrupted; resolves to the exit code (0). */
export async function watchGenerate(paths: readonly string[], options: GenerateOptions, term: Terminal): Promise<number> {
  // A broken setup at the start (no output folder, bad config) ends the command, as without --watch.
  const first = await resolveSetup(paths, options, term.cwd);
  const { watch } = await import("chokidar");
  // Built once: every run parses with it.
  const parser = createParser();
  const targets = watchTargets(first, term.cwd, options.config);
  const skipped = new Set([first.outDir, ...(first.handlersDir ? [first.handlersDir] : [])]);
  const configName = basename(first.config?.file ?? CONFIG_FILE);
  const watcher = watch(targets, {
    ignoreInitial: true,
    ignored: (path, stats) => {
      if (targets.includes(path)) return false;
      const name = basename(path);
      if (skipped.has(path) || name === "node_modules" || name.startsWith(".") || isLinkLoop(path)) return true;
      return stats?.isFile() === true && !name.endsWith(".eda") && !name.endsWith(".hbs") && name !== configName;
    },
  });
  await new Promise<void>((ready, failed) => {
    watcher.once("ready", ready);
    watcher.once("error", failed);
  });
  term.err(`eda: watching ${targets.map((t) => displayPath(t, term.cwd) || ".").join(", ")} for changes (Ctrl-C to stop)\n`);

  return new Promise<number>((done, failed) => {
    let running = false;
    let again = false;
    let timer: NodeJS.Timeout | undefined;
    const stop = (error?: unknown): void => {
      if (timer) clearTimeout(timer);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      void watcher.close().then(() => (error === undefined ? done(EXIT.ok) : failed(error)), failed);
    };
    const onSignal = (): void => stop();
    const run = async (): Promise<void> => {
      running = true;
      try {
        await generateOnce(await resolveSetup(paths, options, term.cwd), false, term, parser);
      } catch (error) {
        // The user's problems (a refusal, an unreadable file) are printed and watching goes on;
        // anything else is a bug and ends the command.
        if (!(error instanceof CliError)) throw error;
        term.err(`${error.message.replace(/^/gm, "eda: ")}\n`);
      } finally {
        running = false;
      }
      if (again) {
        again = false;
        await run();
      }
    };
    const start = (): void => void run().catch(stop);
    watcher.on("all", () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        if (running) again = true;
        else start();
      }, SETTLE_MS);
    });
    watcher.on("error", (error) => term.err(`eda: watching: ${error instanceof Error ? error.message : String(error)}\n`));
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    start();
  });
}

/**
 * What to watch: the paths given, or the folders the config's globs start from, plus the config
 * file itself and its templates folder. (Globs that later name new folders need a restart.)
 */
function watchTargets(setup: GenerateSetup, cwd: string, configFile: string | undefined): string[] {
  const config: EdaConfig | undefined = setup.config;
  const targets = new Set<string>();
  if (setup.paths.length > 0) for (const path of setup.paths) targets.add(resolve(cwd, path));
  else if (config) for (const glob of config.model) targets.add(globBase(config.dir, glob));
  if (config) targets.add(resolve(cwd, configFile ?? join(config.dir, CONFIG_FILE)));
  if (config?.templates !== undefined) targets.add(config.templates);
  return [...targets];
}

/** The folder a glob starts from: `model/**\/*.eda` → `<dir>/model`; a glob without wildcards is its file. */
function globBase(dir: string, glob: string): string {
  const parts = glob.split("/");
  const wild = parts.findIndex((p) => /[*?[\]{}()!]/.test(p));
  if (wild < 0) return resolve(dir, glob);
  return resolve(dir, ...parts.slice(0, wild));
}

/**
 * True when `path` is a folder met again through a link below it (a link to a parent): chokidar
 * follows links and would walk such a loop until the names grow too long, never ready.
 */
function isLinkLoop(path: string): boolean {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return false;
  }
  // Without a link on the way, the path is its own real path and cannot loop.
  if (real === path) return false;
  for (let above = dirname(path); above !== dirname(above); above = dirname(above)) {
    try {
      if (realpathSync(above) === real) return true;
    } catch {
      return false;
    }
  }
  return false;
}
