/** Typed access to the precompiled templates of the handler modules (see templates/README.md). */
import { sections } from "../templates.generated/all.js";

type Template<V> = (view: V) => string;

/** The `define<Aggregate>` function: pre-laid lines for every part whose layout varies. */
export interface DefineAggregateView {
  readonly name: string;
  /** `name: …,` and `initialState: …,`. */
  readonly properties: readonly string[];
  readonly signature: readonly string[];
  readonly streamOf: readonly string[];
  readonly options: readonly string[];
}

/** The `define<Service>` function. */
export interface DefineServiceView {
  readonly name: string;
  /** `name: …,`. */
  readonly properties: readonly string[];
  readonly signature: readonly string[];
  readonly streamOf: readonly string[];
}

/** The `define<Projection>` function. */
export interface DefineProjectionView {
  readonly name: string;
  readonly key: string;
  /** `name: …,`. */
  readonly properties: readonly string[];
  readonly signature: readonly string[];
  readonly events: readonly string[];
  readonly keyOf: readonly string[];
  readonly initialRow: readonly string[];
}

/**
 * Renders a template into one block (without the final newline), as the one-element list of
 * lines a section takes: its lines are joined again anyway, so they are not split.
 */
function lines<V extends object>(template: Template<V>): (view: V) => string[] {
  return (view) => {
    const text = template(oneItem(view));
    return [text.endsWith("\n") ? text.slice(0, -1) : text];
  };
}

/**
 * The view with each list of lines as one item, its lines joined: the templates write each item
 * of a list followed by a line break, so the text is the same, and Handlebars' `each` (costly
 * per item) runs once per list instead of once per line.
 */
function oneItem<V extends object>(view: V): V {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(view)) out[key] = Array.isArray(value) && value.length > 1 ? [value.join("\n")] : value;
  return out as V;
}

/** The lines of `define<Aggregate>`. */
export const defineAggregateLines = lines(sections["define-aggregate"] as Template<DefineAggregateView>);
/** The lines of `define<Service>`. */
export const defineServiceLines = lines(sections["define-service"] as Template<DefineServiceView>);
/** The lines of `define<Projection>`. */
export const defineProjectionLines = lines(sections["define-projection"] as Template<DefineProjectionView>);
