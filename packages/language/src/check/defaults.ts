/** `= {}` on a value-type field: the value is built from the type's field defaults, so each required field needs one. */
import { label, report, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { FieldModel, Model, TypeModel } from "../resolve/model.js";
import { fieldLists } from "./walk.js";

export function checkEmptyObjectDefaults(model: Model, out: Diagnostic[]): void {
  for (const c of model.contexts) {
    for (const { fields } of fieldLists(c)) {
      for (const f of fields) {
        if (f.defaultValue?.kind !== "emptyObject" || f.type.kind !== "type") continue;
        const missing = firstWithoutDefault(f.type.decl, new Set());
        if (!missing) continue;
        out.push(
          report("EDA2101", f.span, { field: f.name, owner: missing.owner, missing: missing.field.name }, { variant: "emptyObject", labels: [label(missing.field.span, "noDefault")] }),
        );
      }
    }
  }
}

/** The first required field without a usable default, looking into value types defaulted to `{}`. */
function firstWithoutDefault(t: TypeModel, seen: Set<TypeModel>): { owner: string; field: FieldModel } | undefined {
  if (seen.has(t)) return undefined;
  seen.add(t);
  for (const field of t.fields) {
    if (field.optional) continue;
    if (!field.defaultValue) return { owner: t.name, field };
    if (field.defaultValue.kind === "emptyObject" && field.type.kind === "type") {
      const inner = firstWithoutDefault(field.type.decl, seen);
      if (inner) return inner;
    }
  }
  return undefined;
}
