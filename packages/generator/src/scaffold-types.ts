/**
 * Scaffolds: the handler files a user owns. The generator describes them; the CLI creates a file
 * the first time and afterwards only inserts the members that are missing (with ts-morph).
 */

/** One member of an object literal in a handler file: a handler method, usually. */
export interface ScaffoldMember {
  /** The property name (`PlaceOrder`, `OrderPlaced`, `total`). */
  readonly key: string;
  /** The full text of the member, as it appears in `content`, without indentation or trailing comma. */
  readonly text: string;
}

/**
 * An object literal that holds members: the first argument of the call that initialises
 * `export const <variable> = define…({ … })`, then down the property names of `path`.
 */
export interface ScaffoldContainer {
  readonly variable: string;
  readonly path: readonly string[];
  readonly members: readonly ScaffoldMember[];
}

export interface ScaffoldFile {
  /** Relative to the handlers folder, e.g. `ordering/order.ts`. */
  readonly path: string;
  /** The whole file, written only when it does not exist yet. */
  readonly content: string;
  /** What the file must contain; the CLI adds missing members and reports members the model lost. */
  readonly containers: readonly ScaffoldContainer[];
}

export interface ScaffoldOptions {
  /** Posix path from the handlers folder to the generated-code folder, e.g. `../generated`. */
  readonly generatedFromHandlers: string;
}
