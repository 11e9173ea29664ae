/**
 * Symbols as editors see them: a context, a declaration, or a field of a declaration (of one
 * version, for events), each named by a stable string key.
 */
import type * as M from "../resolve/model.js";

/** What a symbol key means. */
export type SymbolInfo =
  | { readonly kind: "context"; readonly context: M.ContextModel }
  | { readonly kind: "declaration"; readonly declaration: M.DeclarationModel }
  | {
      readonly kind: "field";
      readonly owner: M.DeclarationModel;
      /** The event version the field belongs to (events only). */
      readonly version?: number;
      readonly field: M.FieldModel;
    };

/** `context:Ordering` */
export function contextKey(name: string): string {
  return `context:${name}`;
}

/** `declaration:Ordering.PlaceOrder` (one key for every version of an event). */
export function declarationKey(d: { readonly qualifiedName: string }): string {
  return `declaration:${d.qualifiedName}`;
}

/** `field:Ordering.PlaceOrder#orderId`, or `field:Ordering.OrderPlaced@2#total` for a field of an event version. */
export function fieldKey(owner: { readonly qualifiedName: string; readonly kind: string }, field: string, version?: number): string {
  return owner.kind === "event" ? `field:${owner.qualifiedName}@${version ?? 1}#${field}` : `field:${owner.qualifiedName}#${field}`;
}
