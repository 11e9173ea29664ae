/**
 * The generator's output type. It lives at the bottom of the import graph: emitters import it,
 * and `generate.ts`, which imports every emitter, only re-exports it.
 */

/** One file of output, its path relative to the output folder. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}
