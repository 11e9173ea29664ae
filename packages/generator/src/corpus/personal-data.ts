/**
 * Personal data out of captured events, for `eda corpus capture`: every `@pii` value of an event
 * version (also inside nested types, lists and maps of types) is replaced by a synthetic value
 * that satisfies the field's type and constraints, so fixtures can be committed. Pure.
 */
import type { EventVersionModel, FieldModel, Model, TypeRefModel } from "@eda/language";
import { Maker, seeded } from "./synth.js";

/**
 * The payload with its personal data replaced, or undefined when the model does not know the
 * event version (its personal data cannot be found, so it must not be kept).
 */
export function replacePersonalData(model: Model, type: string, version: number, payload: unknown, seed: number): unknown {
  const v = findVersion(model, type, version);
  if (!v) return undefined;
  const make = new Maker(seeded(seed, `${type}@${version}`), () => undefined);
  return replaceFields(v.fields, payload, make);
}

function findVersion(model: Model, type: string, version: number): EventVersionModel | undefined {
  for (const c of model.contexts) for (const e of c.events) if (e.name === type) return e.versions.find((v) => v.version === version);
  return undefined;
}

function replaceFields(fields: readonly FieldModel[], value: unknown, make: Maker): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const f of fields) {
    if (!Object.hasOwn(out, f.name) || out[f.name] === undefined) continue;
    out[f.name] = f.pii ? replaceAll(f, out[f.name], make) : replaceInside(f.type, out[f.name], make);
  }
  return out;
}

/** A `@pii` field: every value in it is synthetic, keeping the list's length and the map's keys. */
function replaceAll(f: FieldModel, value: unknown, make: Maker): unknown {
  const fresh = (t: TypeRefModel, v: unknown): unknown => {
    if (t.kind === "list" && Array.isArray(v)) return v.map((item) => fresh(t.element, item));
    if (t.kind === "map" && typeof v === "object" && v !== null) return Object.fromEntries(Object.keys(v).map((k) => [k, fresh(t.value, (v as Record<string, unknown>)[k])]));
    return make.value(t, t === f.type ? f.constraints : {}, f.name, 0);
  };
  return fresh(f.type, value);
}

/** A field that is not personal data may still hold some, in a nested type. */
function replaceInside(t: TypeRefModel, value: unknown, make: Maker): unknown {
  if (t.kind === "type") return replaceFields(t.decl.fields, value, make);
  if (t.kind === "list" && Array.isArray(value)) return value.map((item) => replaceInside(t.element, item, make));
  if (t.kind === "map" && typeof value === "object" && value !== null && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceInside(t.value, v, make)]));
  }
  return value;
}
