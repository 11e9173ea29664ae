/**
 * The few operations the built-in templates compiled to plain functions need
 * (`scripts/template-js.mjs` writes those functions into `templates.generated/`). Each does
 * what Handlebars' runtime does for the same construct in strict mode with `noEscape`, so the
 * output is the same bytes; without the runtime's per-call set-up (frames, option objects,
 * helper lookups), rendering takes a fraction of the time.
 */

/** A template's part that renders one value as its context (`{{#each}}`'s body, a partial). */
export type Part = (context: unknown) => string;

const own = Object.prototype.hasOwnProperty;

/** `{{x}}`'s text: nothing for null or undefined. */
export function text(value: unknown): unknown {
  return value != null ? value : "";
}

/** A property looked up as a helper's parameter does (own properties only; no error when missing). */
export function get(parent: unknown, name: string): unknown {
  return parent != null && own.call(parent, name) ? (parent as Record<string, unknown>)[name] : undefined;
}

/** A property a mustache reads: strict mode's error when the field is missing. */
export function strict(parent: unknown, name: string): unknown {
  if (!parent || !(name in (parent as object))) throw new Error(`"${name}" not defined in ${String(parent)}`);
  return own.call(parent, name) ? (parent as Record<string, unknown>)[name] : undefined;
}

/** `{{this}}`: a function value is called, as Handlebars' `lambda`. */
export function self(value: unknown): unknown {
  return typeof value === "function" ? (value as () => unknown).call(value) : value;
}

/** `{{#each value}}…{{else}}…{{/each}}`: arrays, iterables and objects' values, as Handlebars' `each`. */
export function each(value: unknown, context: unknown, body: Part, inverse: Part | undefined): string {
  let items = typeof value === "function" ? (value as () => unknown).call(context) : value;
  let out = "";
  let n = 0;
  if (items !== null && typeof items === "object") {
    if (!Array.isArray(items) && Symbol.iterator in items) items = Array.from(items as Iterable<unknown>);
    if (Array.isArray(items)) {
      for (; n < items.length; n++) if (n in items) out += body(items[n]);
    } else {
      for (const key of Object.keys(items as object)) {
        out += body((items as Record<string, unknown>)[key]);
        n++;
      }
    }
  }
  return n === 0 && inverse !== undefined ? inverse(context) : out;
}

/** `{{#if value}}…{{else}}…{{/if}}`: false, 0, "", null, undefined and an empty array are false. */
export function when(value: unknown, context: unknown, body: Part, inverse: Part | undefined): string {
  const v = typeof value === "function" ? (value as () => unknown).call(context) : value;
  const empty = !v || (Array.isArray(v) && v.length === 0);
  if (empty) return inverse === undefined ? "" : inverse(context);
  return body(context);
}
