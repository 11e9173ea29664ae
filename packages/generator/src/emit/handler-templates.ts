/** Typed access to the precompiled templates of the handler modules (see templates/README.md). */
import * as compiled from "../templates.generated.js";

type Template<V> = (view: V) => string;

/** A whole module that depends on nothing but its header. */
export interface HeaderView {
  readonly header: string;
}

/** A whole module whose imports the GenModel decides. */
export interface ModuleHeadView extends HeaderView {
  readonly imports: readonly string[];
}

/** The `define<Aggregate>` function: pre-laid lines for every part whose layout varies. */
export interface DefineAggregateView {
  readonly name: string;
  /** `name: …,` and `initialState: …,`. */
  readonly properties: readonly string[];
  readonly signature: readonly string[];
  readonly streamOf: readonly string[];
  readonly decide: readonly string[];
  readonly evolve: readonly string[];
  readonly options: readonly string[];
}

/** The `define<Service>` function. */
export interface DefineServiceView {
  readonly name: string;
  /** `name: …,`. */
  readonly properties: readonly string[];
  readonly signature: readonly string[];
  readonly streamOf: readonly string[];
  readonly handle: readonly string[];
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
  readonly apply: readonly string[];
}

/** Renders a template into the lines of one block (without the final newline). */
function lines<V>(template: Template<V>): (view: V) => string[] {
  return (view) => {
    const text = template(view);
    return (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
  };
}

/** `decisions.ts`: rejection reasons, `Decision`, `reject`. */
export const renderDecisions = compiled.decisions as Template<ModuleHeadView>;
/** The model-wide `testing.ts`: the given/when/then engine. */
export const renderTesting = compiled.testing as Template<HeaderView>;
/** The lines of `define<Aggregate>`. */
export const defineAggregateLines = lines(compiled.defineAggregate as Template<DefineAggregateView>);
/** The lines of `define<Service>`. */
export const defineServiceLines = lines(compiled.defineService as Template<DefineServiceView>);
/** The lines of `define<Projection>`. */
export const defineProjectionLines = lines(compiled.defineProjection as Template<DefineProjectionView>);
