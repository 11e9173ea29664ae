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
