/**
 * `@eda/generator/templates`: compiles a folder of user templates (given as text: the caller reads
 * the files) with Handlebars' full compiler, which only this entry loads — generating without
 * user templates needs only the runtime of the precompiled built-in ones.
 *
 * - `<kind>.hbs` replaces the built-in template of that kind (`app.hbs`, `schemas.hbs`, …; see
 *   `TEMPLATE_KINDS`); it can call the built-in one as the partial `{{> builtIn}}`.
 * - `<path>.<ext>.hbs` adds `<path>.<ext>` to the output once; `context/<path>.<ext>.hbs` adds
 *   `<context folder>/<path>.<ext>` per context.
 * - `partials/<name>.hbs` is the partial `{{> name}}` of every user template.
 *
 * Problems (a syntax error, an unknown partial or helper, a name that is no kind) come back as
 * data with their file and line; the templates run in strict mode, so a missing field is a problem too.
 */
import Handlebars from "handlebars";
import { isTemplateKind, TEMPLATE_KINDS, type TemplateKind } from "./render/file-view.js";
import { templateProblem } from "./render/render.js";
import type { AddedTemplate, TemplateFunction, TemplateProblem, UserTemplate, UserTemplates } from "./render/user-templates.js";
import { partials as builtInPartials } from "./templates.generated/all.js";

export type { AddedTemplate, TemplateFunction, TemplateProblem, UserTemplate, UserTemplates } from "./render/user-templates.js";

/** One file of the templates folder: its path relative to the folder (`/`-separated) and its text. */
export interface TemplateSource {
  readonly path: string;
  readonly text: string;
}

/** The compiled folder, and its problems (a template with a problem is left out). */
export interface CompiledTemplates {
  readonly templates: UserTemplates;
  readonly problems: TemplateProblem[];
}

const OPTIONS = { strict: true, noEscape: true, knownHelpersOnly: true } as const;

/** Compiles the `.hbs` files of a templates folder; other files are ignored. */
export function compileTemplates(sources: readonly TemplateSource[]): CompiledTemplates {
  const problems: TemplateProblem[] = [];
  const hbs = sources.filter((s) => s.path.endsWith(".hbs")).sort((a, b) => (a.path < b.path ? -1 : 1));
  const partialNames = new Set([...Object.keys(builtInPartials), ...hbs.filter((s) => s.path.startsWith("partials/")).map((s) => partialName(s.path))]);
  const env = Handlebars.create();
  const overrides: Partial<Record<TemplateKind, UserTemplate>> = {};
  const added: AddedTemplate[] = [];
  const partials: Record<string, TemplateFunction> = {};
  for (const source of hbs) {
    const role = roleOf(source.path);
    if (typeof role === "string") {
      problems.push({ file: source.path, message: role });
      continue;
    }
    const known = role.kind === "override" ? new Set([...partialNames, "builtIn"]) : partialNames;
    const render = compileOne(env, source, known, problems);
    if (render === undefined) continue;
    if (role.kind === "partial") partials[role.name] = render;
    else if (role.kind === "override") overrides[role.template] = { file: source.path, render };
    else added.push({ file: source.path, render, path: role.path, perContext: role.perContext });
  }
  return { templates: { overrides, added, partials }, problems };
}

type Role =
  | { readonly kind: "partial"; readonly name: string }
  | { readonly kind: "override"; readonly template: TemplateKind }
  | { readonly kind: "add"; readonly path: string; readonly perContext: boolean };

/** What a file of the folder is, or why it cannot be one. */
function roleOf(path: string): Role | string {
  if (path.startsWith("partials/")) return { kind: "partial", name: partialName(path) };
  const perContext = path.startsWith("context/");
  const target = (perContext ? path.slice("context/".length) : path).slice(0, -".hbs".length);
  const parts = target.split("/");
  if (parts.some((p) => p === "" || p === "." || p === "..")) return `cannot add a file at '${target}': give a path below the output folder`;
  const base = parts[parts.length - 1] as string;
  if (base.includes(".")) return { kind: "add", path: target, perContext };
  if (!perContext && parts.length === 1 && isTemplateKind(base)) return { kind: "override", template: base };
  return `'${path}' names no kind of generated file (${TEMPLATE_KINDS.join(", ")}); a template that adds a file names its extension, like '${target}.md.hbs'`;
}

function partialName(path: string): string {
  return path.slice("partials/".length, -".hbs".length);
}

/** Parses, checks the partials it calls, and compiles one template (eagerly: errors surface here, not mid-generation). */
function compileOne(env: typeof Handlebars, source: TemplateSource, partials: ReadonlySet<string>, problems: TemplateProblem[]): TemplateFunction | undefined {
  let ast: hbs.AST.Program;
  try {
    ast = env.parse(source.text);
  } catch (error) {
    problems.push(parseProblem(source.path, error));
    return undefined;
  }
  const unknown = unknownPartials(ast, partials);
  for (const p of unknown) problems.push({ file: source.path, line: p.line, column: p.column + 1, message: `there is no partial named '${p.name}' (partials: ${[...partials].sort().join(", ")})` });
  if (unknown.length > 0) return undefined;
  try {
    env.precompile(ast, OPTIONS);
  } catch (error) {
    problems.push(templateProblem(source.path, error));
    return undefined;
  }
  return env.compile(ast, OPTIONS) as TemplateFunction;
}

/** "Parse error on line 3: …" → a problem on line 3. */
function parseProblem(file: string, error: unknown): TemplateProblem {
  const message = error instanceof Error ? error.message : String(error);
  const at = /^Parse error on line (\d+):\n?/.exec(message);
  return at ? { file, line: Number(at[1]), message: `syntax error:\n${message.slice(at[0].length)}` } : templateProblem(file, error);
}

interface PartialCall {
  readonly name: string;
  readonly line: number;
  readonly column: number;
}

/** Every `{{> name}}` (with a static name) whose partial is not known. */
function unknownPartials(node: unknown, known: ReadonlySet<string>, found: PartialCall[] = []): PartialCall[] {
  if (Array.isArray(node)) {
    for (const item of node) unknownPartials(item, known, found);
    return found;
  }
  if (node === null || typeof node !== "object") return found;
  const n = node as { type?: string; name?: { type?: string; original?: unknown }; loc?: { start: { line: number; column: number } } };
  if ((n.type === "PartialStatement" || n.type === "PartialBlockStatement") && n.name?.type === "PathExpression" && typeof n.name.original === "string") {
    if (!known.has(n.name.original) && n.loc) found.push({ name: n.name.original, line: n.loc.start.line, column: n.loc.start.column });
  }
  for (const [key, value] of Object.entries(node)) if (key !== "loc") unknownPartials(value, known, found);
  return found;
}
