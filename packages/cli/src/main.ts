/**
 * The `eda` command: parses the arguments, runs one command, and turns its outcome into an exit
 * code. Commands live in `commands/`, one file each; they get a Terminal and return their code.
 */
import { Command, CommanderError, Option } from "commander";
import { readFileSync } from "node:fs";
import { CHECK_FORMATS, runCheck, type CheckOptions } from "./commands/check.js";
import { runFmt } from "./commands/fmt.js";
import { CliError, EXIT } from "./errors.js";
import { processTerminal, type Terminal } from "./terminal.js";

/** Runs `eda` with the arguments after the program name; resolves to the process's exit code. */
export async function main(argv: readonly string[], term: Terminal = processTerminal()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(term, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with 0; every other parse failure is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      term.err(error.message.replace(/^/gm, "eda: ") + "\n");
      return EXIT.usage;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    term.err(`eda: internal error — this is a bug in eda, please report it:\n${detail}\n`);
    return EXIT.internal;
  }
}

const PATHS_HELP =
  'files or folders (a folder means every .eda file below it); default: the "model" globs of eda.config.json';

function buildProgram(term: Terminal, exit: (code: number) => void): Command {
  const program = new Command("eda")
    .description("Type-safe event modelling: check and format .eda models.")
    .version(readVersion(), "-v, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .configureOutput({ writeOut: term.out, writeErr: term.err })
    .showHelpAfterError()
    .exitOverride()
    .addHelpText(
      "after",
      "\nWith no paths, a command uses the \"model\" globs of eda.config.json in the current folder.\n" +
        "Colour is used on a terminal unless NO_COLOR is set; FORCE_COLOR=1 forces it.\n" +
        "Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage or I/O error, 3 bug in eda.",
    );

  program
    .command("check")
    .description("check models and report their problems")
    .argument("[paths...]", PATHS_HELP)
    .addOption(new Option("--format <format>", "output format").choices(CHECK_FORMATS).default("text"))
    .action(async (paths: string[], options: CheckOptions) => exit(await runCheck(paths, options, term)));

  program
    .command("fmt")
    .description("format models in place (only files whose layout changes are written)")
    .argument("[paths...]", PATHS_HELP)
    .option("--check", "list the files that are not formatted, write nothing, and exit 1 if any")
    .action(async (paths: string[], options: { check?: boolean }) =>
      exit(await runFmt(paths, { check: options.check === true }, term)),
    );

  return program;
}

/** The version of this package; read from its package.json, one folder above `dist/`. */
function readVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string };
  return manifest.version ?? "0.0.0";
}
