/**
 * User templates, compiled (by `compileTemplates` of `@eda/generator/templates`, which the CLI
 * loads only when `eda.config.json` names a templates folder), and the problems they can have.
 * Types only: rendering is `render.ts`'s, compiling the compiler entry's.
 */
import type { TemplateKind } from "./file-view.js";

/** A compiled Handlebars template. */
export type TemplateFunction = (data: unknown, options?: { readonly partials?: Readonly<Record<string, unknown>> }) => string;

/** One user template: its file (relative to the templates folder) and its compiled form. */
export interface UserTemplate {
  readonly file: string;
  readonly render: TemplateFunction;
}

/** A user template that adds a file: once for the model, or once per context (below the context's folder). */
export interface AddedTemplate extends UserTemplate {
  /** The output path (below the output folder, or below each context's folder). */
  readonly path: string;
  readonly perContext: boolean;
}

/** A templates folder, compiled. */
export interface UserTemplates {
  /** `<kind>.hbs`: replaces the built-in template of that kind. */
  readonly overrides: Readonly<Partial<Record<TemplateKind, UserTemplate>>>;
  /** `<path>.<ext>.hbs` and `context/<path>.<ext>.hbs`. */
  readonly added: readonly AddedTemplate[];
  /** `partials/<name>.hbs`, by name. */
  readonly partials: Readonly<Record<string, TemplateFunction>>;
}

/** A problem of a user template, at a place in its file when Handlebars knows it. */
export interface TemplateProblem {
  /** Relative to the templates folder, e.g. `app.hbs`. */
  readonly file: string;
  /** 1-based. */
  readonly line?: number;
  /** 1-based. */
  readonly column?: number;
  readonly message: string;
}
