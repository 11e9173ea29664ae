/**
 * The names generated code gives to files and folders, decided here because the checker must
 * refuse models whose outputs would land in the same place (EDA2015, EDA2016).
 */

/** `Ordering` → `ordering`, `CustomerOrders` → `customer-orders`: folder and file names. */
export function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

/** The folder of a context's generated modules, JSON Schemas, diagrams and handler files. */
export function contextFolder(context: string): string {
  return kebab(context);
}

/**
 * JavaScript's reserved words, with the names strict code may not bind (`arguments`, `eval`) and
 * `undefined`: a generated identifier taken from a model name must avoid them (the generator adds
 * `_`), and the checker refuses declarations, fields and enum members so named (EDA2008). The one
 * list both use.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in " +
    "instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package " +
    "private protected public await arguments eval undefined"
  ).split(" "),
);
