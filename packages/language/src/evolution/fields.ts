/**
 * Field lists compared across two models: what changed in the shape a message travels and is
 * stored in. Declarations are matched by qualified name (the two models are separate graphs), and
 * nested types and enums are followed, so a field removed from a shared `type` shows up in every
 * message that carries it, with its dotted path.
 */
import { FIELD_CHANGE } from "../diagnostics/codes/evolution.js";
import type { Span } from "../diagnostics/diagnostic.js";
import type { Constraints, FieldModel, TypeRefModel } from "../resolve/model.js";
import { valueText } from "../resolve/values.js";
import { typeText } from "../resolve/types.js";

export type FieldChangeKind = "removed" | "renamed" | "retyped" | "required" | "tightened" | "enumMemberRemoved" | "defaultChanged";

/** One incompatible difference between a baseline field list and the current one. */
export interface FieldChange {
  readonly kind: FieldChangeKind;
  /** The dotted path of the field from the message (`shipTo.city`). */
  readonly path: string;
  /** What changed, as a clause: "field `customerId` changed type from `uuid` to `string`". */
  readonly what: string;
  /** Where in the current model. */
  readonly span: Span;
  /** Where in the baseline. */
  readonly baseSpan: Span;
  /** For a rename, the new name. */
  readonly renamedTo?: string;
}

/** Where a field list sits: its path prefix and the spans that stand for the whole list. */
interface Place {
  readonly prefix: string;
  /** The current declaration (for a removed field, which has no span of its own any more). */
  readonly span: Span;
  /** The baseline declaration (for an added field). */
  readonly baseSpan: Span;
  /** Pairs of declarations already being compared, so recursive types end. */
  readonly seen: ReadonlySet<string>;
}

/** The incompatible differences from `base` to `current`, in the current field order. */
export function compareFields(base: readonly FieldModel[], current: readonly FieldModel[], place: Omit<Place, "seen" | "prefix">): FieldChange[] {
  const out: FieldChange[] = [];
  compareList(base, current, { ...place, prefix: "", seen: new Set() }, out);
  return out;
}

function compareList(base: readonly FieldModel[], current: readonly FieldModel[], place: Place, out: FieldChange[]): void {
  const currentNames = new Set(current.map((f) => f.name));
  const baseNames = new Set(base.map((f) => f.name));
  const removed = base.filter((f) => !currentNames.has(f.name));
  const added = current.filter((f) => !baseNames.has(f.name));
  const renames = pairRenames(base, current, removed, added);
  for (const f of removed) {
    const to = renames.get(f);
    if (to) {
      out.push({ kind: "renamed", path: place.prefix + f.name, what: FIELD_CHANGE.renamed.format({ field: place.prefix + f.name, to: to.name }), span: to.span, baseSpan: f.span, renamedTo: to.name });
    } else {
      out.push({ kind: "removed", path: place.prefix + f.name, what: FIELD_CHANGE.removed.format({ field: place.prefix + f.name }), span: place.span, baseSpan: f.span });
    }
  }
  const renamedTo = new Set(renames.values());
  for (const f of added) {
    if (renamedTo.has(f) || f.optional || f.defaultValue !== undefined) continue;
    out.push({ kind: "required", path: place.prefix + f.name, what: FIELD_CHANGE.added.format({ field: place.prefix + f.name }), span: f.span, baseSpan: place.baseSpan });
  }
  const byName = new Map(base.map((f) => [f.name, f]));
  for (const f of current) {
    const b = byName.get(f.name);
    if (b) compareField(b, f, place, out);
  }
}

/**
 * A removed field and an added one of the same type and optionality are a rename, when that
 * pairing is unambiguous: the same position is preferred, else the only candidate.
 */
function pairRenames(base: readonly FieldModel[], current: readonly FieldModel[], removed: readonly FieldModel[], added: readonly FieldModel[]): Map<FieldModel, FieldModel> {
  const pairs = new Map<FieldModel, FieldModel>();
  const taken = new Set<FieldModel>();
  for (const f of removed) {
    const fits = added.filter((a) => !taken.has(a) && a.optional === f.optional && typeText(a.type) === typeText(f.type));
    const samePlace = fits.find((a) => current.indexOf(a) === base.indexOf(f));
    const pick = samePlace ?? (fits.length === 1 ? fits[0] : undefined);
    if (pick) {
      pairs.set(f, pick);
      taken.add(pick);
    }
  }
  return pairs;
}

function compareField(b: FieldModel, f: FieldModel, place: Place, out: FieldChange[]): void {
  const path = place.prefix + f.name;
  const at = (kind: FieldChangeKind, what: string, span: Span = f.span, baseSpan: Span = b.span): void => {
    out.push({ kind, path, what, span, baseSpan });
  };
  if (shapeDiffers(b.type, f.type, { ...place, prefix: `${path}.`, span: f.typeSpan, baseSpan: b.typeSpan }, out)) {
    at("retyped", FIELD_CHANGE.retyped.format({ field: path, from: typeText(b.type), to: typeText(f.type) }), f.typeSpan, b.typeSpan);
  }
  if (b.optional && !f.optional) at("required", FIELD_CHANGE.required.format({ field: path }));
  for (const tighter of tightenedConstraints(b.constraints, f.constraints)) at("tightened", FIELD_CHANGE.tightened.format({ field: path, constraint: tighter }));
  if (b.defaultValue && !f.defaultValue && !f.optional) at("defaultChanged", FIELD_CHANGE.lostDefault.format({ field: path, from: valueText(b.defaultValue) }));
  if (b.defaultValue && f.defaultValue && valueText(b.defaultValue) !== valueText(f.defaultValue)) {
    at("defaultChanged", FIELD_CHANGE.changedDefault.format({ field: path, from: valueText(b.defaultValue), to: valueText(f.defaultValue) }));
  }
}

/**
 * True when the two types differ at this level (a retype). When they are the same declaration,
 * its own differences are added to `out` instead: a nested type's fields, an enum's members.
 * Another declaration of the same shape (a type renamed, or moved to another context) is no
 * retype: a payload holds field names and values, never the name of its type.
 */
function shapeDiffers(b: TypeRefModel, c: TypeRefModel, place: Place, out: FieldChange[]): boolean {
  if (b.kind === "unresolved" || c.kind === "unresolved") return false;
  if (b.kind !== c.kind) return true;
  switch (b.kind) {
    case "scalar":
      return b.name !== (c as typeof b).name;
    case "list":
      return shapeDiffers(b.element, (c as typeof b).element, place, out);
    case "map":
      return shapeDiffers(b.value, (c as typeof b).value, place, out);
    case "type": {
      const decl = (c as typeof b).decl;
      const key = `${b.decl.qualifiedName}→${decl.qualifiedName}`;
      if (place.seen.has(key)) return false;
      const inner: FieldChange[] = [];
      compareList(b.decl.fields, decl.fields, { prefix: place.prefix, span: decl.nameSpan, baseSpan: b.decl.nameSpan, seen: new Set([...place.seen, key]) }, inner);
      // Another type (renamed, or moved with its context) is a retype only if its shape differs: payloads carry no type names.
      if (b.decl.qualifiedName !== decl.qualifiedName) return inner.length > 0;
      out.push(...inner);
      return false;
    }
    case "enum": {
      const decl = (c as typeof b).decl;
      const members = new Set(decl.members.map((m) => m.name));
      if (b.decl.qualifiedName !== decl.qualifiedName) return b.decl.members.some((m) => !members.has(m.name));
      const field = place.prefix.slice(0, -1);
      for (const m of b.decl.members) {
        if (members.has(m.name)) continue;
        out.push({ kind: "enumMemberRemoved", path: field, what: FIELD_CHANGE.enumMemberRemoved.format({ enum: decl.qualifiedName, field, member: m.name }), span: place.span, baseSpan: m.span });
      }
      return false;
    }
  }
}

const LOWER_BOUNDS = ["min", "minLength", "minItems"] as const;
const UPPER_BOUNDS = ["max", "maxLength", "maxItems"] as const;

/** The constraints of `c` that admit fewer values than those of `b`, as `@min(1) → @min(2)`. */
function tightenedConstraints(b: Constraints, c: Constraints): string[] {
  const out: string[] = [];
  const show = (name: string, value: number | string | undefined): string =>
    value === undefined ? "none" : `@${name}(${typeof value === "string" ? JSON.stringify(value) : value})`;
  for (const name of LOWER_BOUNDS) {
    const now = c[name];
    const was = b[name];
    if (now !== undefined && (was === undefined || now > was)) out.push(`${show(name, was)} → ${show(name, now)}`);
  }
  for (const name of UPPER_BOUNDS) {
    const now = c[name];
    const was = b[name];
    if (now !== undefined && (was === undefined || now < was)) out.push(`${show(name, was)} → ${show(name, now)}`);
  }
  if (c.pattern !== undefined && c.pattern !== b.pattern) out.push(`${show("pattern", b.pattern)} → ${show("pattern", c.pattern)}`);
  return out;
}

