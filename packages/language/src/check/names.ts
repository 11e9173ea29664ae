/** Names that would break generated TypeScript, and value types that contain themselves. */
import { label, report, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { DeclarationModel, Model, TypeModel } from "../resolve/model.js";
import { RESERVED_WORDS } from "../output-names.js";
import { cyclicComponents, fieldLists, shortestCycle } from "./walk.js";

/** JavaScript's reserved words, and names that shadow what generated code relies on (values and objects' own keys). */
const RESERVED_NAMES: ReadonlySet<string> = new Set([...RESERVED_WORDS, ..."NaN Infinity __proto__ constructor prototype".split(" ")]);
/** Global names generated code uses; a declaration of that name would shadow them. */
const GLOBALS = new Set("Object Array Promise Error String Number Boolean Map Set Date JSON Record Partial Readonly Symbol BigInt Math RegExp Function".split(" "));

export function checkReservedNames(model: Model, out: Diagnostic[]): void {
  for (const c of model.contexts) {
    const decls: DeclarationModel[] = [...c.types, ...c.enums, ...c.commands, ...c.events, ...c.aggregates, ...c.services, ...c.projections, ...c.workflows];
    for (const d of decls) {
      if (RESERVED_NAMES.has(d.name) || GLOBALS.has(d.name)) {
        out.push(report("EDA2008", d.nameSpan, { name: d.name, context: c.name }, GLOBALS.has(d.name) ? { variant: "global" } : {}));
      }
    }
    for (const { fields } of fieldLists(c)) {
      for (const f of fields) {
        if (RESERVED_NAMES.has(f.name)) {
          out.push(report("EDA2008", { ...f.span, end: f.span.start + f.name.length }, { name: f.name }, { variant: "field" }));
        }
      }
    }
    for (const e of c.enums) {
      for (const m of e.members) if (RESERVED_NAMES.has(m.name)) out.push(report("EDA2008", m.span, { name: m.name }, { variant: "member" }));
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
        report("EDA2014", m.nameSpan, { name: m.name, kind: first.kind, context: first.context, ownContext: m.context }, { labels: [label(first.nameSpan, "declaredAs", { name: first.qualifiedName })] }),
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
      report("EDA2011", t.nameSpan, { type: t.name, cycle: [...cycle, t].map((x) => `\`${x.name}\``).join(" → ") }),
    );
  }
}
