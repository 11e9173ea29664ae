/** Facts of the Model that several emitters read the same way (no names: those are the GenModel's). */
import type { AggregateModel, EventModel, FieldModel, ProjectionModel } from "@eda/language";

/** The distinct items, in first-seen order. */
export function distinct<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** The events an aggregate emits, each once, in the order its handlers declare them. */
export function emittedEvents(a: AggregateModel): EventModel[] {
  return distinct(a.handlers.flatMap((h) => h.emits));
}

/** The fields of a row: the key first, then the declared fields. */
export function rowFields(p: ProjectionModel): FieldModel[] {
  return p.key && !p.fields.some((f) => f.name === p.key?.name) ? [p.key, ...p.fields] : [...p.fields];
}
