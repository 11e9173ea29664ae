/** Typed access to the precompiled templates (see templates/README.md). */
import * as compiled from "./templates.generated.js";

/** The view a module template takes: all text decided, the template only places it. */
export interface ModuleView {
  readonly header: string;
  readonly imports: readonly string[];
  /** Blocks of lines, printed with a blank line before each. */
  readonly blocks: readonly (readonly string[])[];
}

type Template<V> = (view: V) => string;

/** Renders a TypeScript module. */
export const renderModule = compiled.module as Template<ModuleView>;
