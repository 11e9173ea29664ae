/**
 * What an emitter returns: not text, but the view of one file — which template renders it, where
 * it goes, and the data the template places. `render.ts` turns views into files, through the
 * built-in templates or a user's (`"templates"` in `eda.config.json`). Bottom of the import graph.
 */
import type { ViewData } from "./view-data.js";

/** Every kind of generated file; each has a built-in template `templates/<kind>.hbs`. */
export const TEMPLATE_KINDS = [
  "support",
  "schemas",
  "upcasters",
  "codec",
  "json-schema",
  "registry",
  "index",
  "aggregates",
  "services",
  "projections",
  "testing",
  "context-testing",
  "decisions",
  "workflows",
  "app",
  "model-diagram",
  "workflow-diagram",
  "alerts",
  "dashboard",
] as const;

/** The name of a kind of generated file (and of its template). */
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

/** One file to render: its template, its path below the output folder and its data. */
export interface FileView<K extends TemplateKind = TemplateKind> {
  readonly kind: K;
  readonly path: string;
  /** The context the file belongs to, for files of one context (a user template gets its `GenContext` as `context`). */
  readonly context?: string;
  readonly data: ViewData[K];
}

/** Builds a view, its data checked against its kind. */
export function fileView<K extends TemplateKind>(kind: K, path: string, data: ViewData[K], context?: string): FileView<K> {
  return context === undefined ? { kind, path, data } : { kind, path, context, data };
}

/** True when `name` is a kind of generated file. */
export function isTemplateKind(name: string): name is TemplateKind {
  return (TEMPLATE_KINDS as readonly string[]).includes(name);
}
