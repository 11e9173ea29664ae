/**
 * The user's templates (`"templates"` in `eda.config.json`): read here, compiled by
 * `@eda/generator/templates` (loaded only when a folder is configured, so Handlebars' compiler
 * stays off the start-up path), and their problems worded with the file's place.
 */
import type { TemplateProblem, UserTemplates } from "@eda/generator";
import { readdir, readFile } from "node:fs/promises";
import { join, sep } from "node:path";
import { CliError, describeFsError } from "../errors.js";

/** The compiled folder, or the problems that stop the run. */
export type LoadedTemplates = { readonly ok: true; readonly templates: UserTemplates } | { readonly ok: false; readonly problems: readonly TemplateProblem[] };

/** Reads every `.hbs` file below `dir` and compiles them. An unreadable folder is a CliError. */
export async function loadTemplates(dir: string, show: (path: string) => string): Promise<LoadedTemplates> {
  let names: string[];
  try {
    names = (await readdir(dir, { recursive: true })).filter((name) => name.endsWith(".hbs")).sort();
  } catch (error) {
    throw new CliError(`cannot read the templates folder '${show(dir)}': ${describeFsError(error)}`);
  }
  const sources = await Promise.all(
    names.map(async (name) => {
      try {
        return { path: name.split(sep).join("/"), text: await readFile(join(dir, name), "utf8") };
      } catch (error) {
        throw new CliError(`cannot read '${show(join(dir, name))}': ${describeFsError(error)}`);
      }
    }),
  );
  const { compileTemplates } = await import("@eda/generator/templates");
  const { templates, problems } = compileTemplates(sources);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, templates };
}

/** `templates/app.hbs:3:5: error: …`, one per problem, the place as an editor can follow it. */
export function describeTemplateProblems(dir: string, problems: readonly TemplateProblem[], show: (path: string) => string): string {
  return problems
    .map((p) => {
      const place = [show(join(dir, ...p.file.split("/"))), p.line, p.line === undefined ? undefined : p.column].filter((x) => x !== undefined).join(":");
      return `${place}: error: ${p.message}`;
    })
    .join("\n");
}
