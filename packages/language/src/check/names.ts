/** Names that would break generated TypeScript, and value types that contain themselves. */
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { DeclarationModel, Model, TypeModel } from "../resolve/model.js";
import { cyclicComponents, fieldLists, shortestCycle } from "./walk.js";

/** JavaScript reserved words and names that shadow what generated code relies on. */
const RESERVED_WORDS = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in " +
    "instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package " +
    "private protected public await arguments eval undefined NaN Infinity __proto__ constructor prototype"
  ).split(" "),
);
/** Global names generated code uses; a declaration of that name would shadow them. */
const GLOBALS = new Set("Object Array Promise Error String Number Boolean Map Set Date JSON Record Partial Readonly Symbol BigInt Math RegExp Function".split(" "));

export function checkReservedNames(model: Model, out: Diagnostic[]): void {
  for (const c of model.contexts) {
    const decls: DeclarationModel[] = [...c.types, ...c.enums, ...c.commands, ...c.events, ...c.aggregates, ...c.services, ...c.projections, ...c.workflows];
    for (const d of decls) {
      if (RESERVED_WORDS.has(d.name) || GLOBALS.has(d.name)) {
        out.push(diagnostic("EDA2008", d.nameSpan, `\`${d.name}\` cannot be used as a name: ${GLOBALS.has(d.name) ? "it would hide the JavaScript global of that name in generated code" : "it is reserved in TypeScript"}.`, { hint: `Choose a more specific name, like \`${c.name}${d.name}\`.` }));
      }
    }
    for (const { fields } of fieldLists(c)) {
      for (const f of fields) {
        if (RESERVED_WORDS.has(f.name)) {
          out.push(diagnostic("EDA2008", { ...f.span, end: f.span.start + f.name.length }, `\`${f.name}\` cannot be a field name: it is reserved in TypeScript or has a special meaning on objects.`, { hint: "Rename the field." }));
        }
      }
    }
    for (const e of c.enums) {
      for (const m of e.members) if (RESERVED_WORDS.has(m.name)) out.push(diagnostic("EDA2008", m.span, `\`${m.name}\` cannot be an enum member: it is reserved in TypeScript.`, { hint: "Rename the member." }));
    }
  }
}

/**
 * Commands and events travel and are stored under their bare name, so two messages of the same
 * name in different contexts could not be told apart on the wire or in the event store.
 */
export function checkMessageNames(model: Model, out: Diagnostic[]): void {
  const seen = new Map<string, DeclarationModel>();
  for (const c of model.contexts) {
    for (const m of [...c.commands, ...c.events]) {
      const first = seen.get(m.name);
      if (!first) {
        seen.set(m.name, m);
        continue;
      }
      out.push(
        diagnostic("EDA2014", m.nameSpan, `\`${m.name}\` is also a ${first.kind} of context \`${first.context}\`; messages travel under their name, so it must be unique in the whole model.`, {
          labels: [{ span: first.nameSpan, message: `\`${first.qualifiedName}\` is declared here` }],
          hint: `Rename one of them, e.g. \`${m.context}${m.name}\`.`,
        }),
      );
    }
  }
}

/** A value type that requires itself (directly or through others) can never be built. */
export function checkRecursiveTypes(model: Model, out: Diagnostic[]): void {
  const types = model.contexts.flatMap((c) => c.types);
  const requires = (t: TypeModel): TypeModel[] => t.fields.flatMap((f) => (!f.optional && f.type.kind === "type" ? [f.type.decl] : []));
  for (const component of cyclicComponents(types, requires)) {
    const t = component[0] as TypeModel;
    const cycle = shortestCycle(t, new Set(component), requires) as TypeModel[];
    out.push(
      diagnostic("EDA2011", t.nameSpan, `\`${t.name}\` requires itself: ${[...cycle, t].map((x) => `\`${x.name}\``).join(" → ")}, so no value of it can ever exist.`, {
        hint: "Make one of the fields on the cycle optional or a list.",
      }),
    );
  }
}
