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

const moduleTemplate = compiled.module as Template<{ header: string; imports: readonly string[]; blocks: readonly string[] }>;

/** Renders a TypeScript module (each block's lines are joined here, not by the template, for speed). */
export function renderModule(view: ModuleView): string {
  return moduleTemplate({ header: view.header, imports: view.imports, blocks: view.blocks.map((b) => b.join("\n")) });
}
