/**
 * Message templates for the diagnostic catalogue (`codes.ts`), in the manner of TypeSpec's
 * `paramMessage`: the catalogue holds the wording, a call site passes the data.
 *
 *     message`The aggregate \`${"aggregate"}\` does not name its stream field.`
 *
 * is a template with one parameter, `aggregate`; `format({ aggregate: "Order" })` fills it.
 */

/** A value a template prints as it is. */
export type MessageValue = string | number;

/** A message with named holes; `K` are the names of its parameters. */
export interface MessageTemplate<K extends string = string> {
  readonly parts: readonly string[];
  readonly keys: readonly K[];
  format(data: { readonly [P in K]: MessageValue }): string;
}

/** Builds a template from a tagged template literal whose holes are parameter names. */
export function message<const K extends readonly string[]>(parts: TemplateStringsArray, ...keys: K): MessageTemplate<K[number]> {
  const raw = [...parts];
  return {
    parts: raw,
    keys,
    format(data) {
      let out = raw[0] as string;
      keys.forEach((key: K[number], i) => {
        out += String(data[key]) + (raw[i + 1] as string);
      });
      return out;
    },
  };
}

/** The parameters of a template. */
export type MessageData<T> = T extends MessageTemplate<infer K> ? { readonly [P in K]: MessageValue } : never;
