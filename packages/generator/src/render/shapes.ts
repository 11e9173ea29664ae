/**
 * What a context declares, as plain data for user templates: `context.shapes` (and
 * `model.contexts[i].shapes`). The GenModel says what eda generates (names, paths, imports); a
 * template that documents or generates from the declarations themselves — a page of each
 * event's fields, a table of personal data, a client in another language — reads their shapes
 * here: fields with their types as written in `.eda`, defaults, constraints, `@pii`, docs.
 * Built only when the user has templates. Plain, readonly, JSON-serialisable.
 */
import { typeText, valueText, type ContextModel, type FieldModel, type HandlerModel, type SendModel, type StepModel } from "@eda/language";
import type { GenContext, GenModel } from "../lower/gen-model.js";

/** A field as declared. */
export interface FieldShape {
  readonly name: string;
  /** The type as written in `.eda`, references qualified: `uuid`, `Shared.Money[]`, `map<string, int>`. */
  readonly type: string;
  readonly optional: boolean;
  /** The default as written (`0`, `"EUR"`, `Status.Open`); absent without one. */
  readonly default?: string;
  /** `min`, `max`, `minLength`, `maxLength`, `pattern`, `minItems`, `maxItems`, where declared. */
  readonly constraints: Readonly<Record<string, number | string>>;
  /** `@pii`: personal data (redacted in logs; encrypted at rest when it names its subject). */
  readonly pii: boolean;
  /** `@pii(subject)`: the field naming the data subject whose key encrypts this one. */
  readonly piiSubject?: string;
  /** `@deprecated`'s reason. */
  readonly deprecated?: string;
  readonly doc?: string;
}

/** A declaration with fields: a type, a command, a rejection. */
export interface RecordShape {
  readonly name: string;
  readonly qualifiedName: string;
  readonly doc?: string;
  readonly fields: readonly FieldShape[];
}

export interface EnumShape {
  readonly name: string;
  readonly qualifiedName: string;
  readonly doc?: string;
  readonly members: readonly { readonly name: string; readonly doc?: string }[];
}

export interface CommandShape extends RecordShape {
  /** The aggregate or service that handles it (qualified). */
  readonly handledBy?: string;
}

/** One version of an event; `upcastFrom` names the version it is upcast from, if any. */
export interface EventVersionShape {
  readonly version: number;
  readonly doc?: string;
  readonly fields: readonly FieldShape[];
  readonly upcastFrom?: number;
}

export interface EventShape {
  readonly name: string;
  readonly qualifiedName: string;
  readonly doc?: string;
  /** The current version's number. */
  readonly current: number;
  /** Oldest first; the last is current. */
  readonly versions: readonly EventVersionShape[];
  /** The aggregates and services that may emit it (qualified). */
  readonly emittedBy: readonly string[];
}

/** A command handler of an aggregate or a service. */
export interface HandlerShape {
  readonly command: string;
  readonly emits: readonly string[];
  /** The rejections it may refuse the command with. */
  readonly rejects: readonly string[];
}

/** A declaration that handles commands: a service, and an aggregate. */
export interface ServiceShape {
  readonly name: string;
  readonly qualifiedName: string;
  readonly doc?: string;
  readonly handlers: readonly HandlerShape[];
  readonly rejections: readonly RecordShape[];
}

export interface AggregateShape extends ServiceShape {
  /** The command field naming the stream. */
  readonly stream?: string;
  /** A record state's fields (empty for a variant state). */
  readonly state: readonly FieldShape[];
  /** A variant state's variants, the first one initial. */
  readonly variants?: readonly { readonly name: string; readonly fields: readonly FieldShape[] }[];
  readonly snapshotEvery?: number;
}

export interface ProjectionShape {
  readonly name: string;
  readonly qualifiedName: string;
  readonly doc?: string;
  readonly key?: FieldShape;
  readonly fields: readonly FieldShape[];
  /** The events it is built from (qualified). */
  readonly from: readonly string[];
}

/** A step of an orchestrated workflow. */
export interface StepShape {
  readonly name: string;
  readonly doc?: string;
  /** The command it sends (qualified). */
  readonly sends?: string;
  readonly awaits?: string;
  readonly failsOn?: string;
  /** The command that undoes it (qualified). */
  readonly compensates?: string;
  readonly compensateAlways: boolean;
  readonly retry?: { readonly count: number; readonly everyMs: number };
}

export interface WorkflowShape {
  readonly name: string;
  readonly qualifiedName: string;
  readonly doc?: string;
  readonly mode: "orchestrated" | "choreographed";
  readonly start?: string;
  readonly correlate?: string;
  readonly timeoutMs?: number;
  readonly steps: readonly StepShape[];
  readonly onComplete?: string;
  readonly onFail?: string;
  /** A choreography's rules: on an event, the command sent. */
  readonly reactions: readonly { readonly event: string; readonly sends?: string; readonly doc?: string }[];
}

/** Everything a context declares, in declaration order. */
export interface ContextShapes {
  readonly doc?: string;
  readonly types: readonly RecordShape[];
  readonly enums: readonly EnumShape[];
  readonly commands: readonly CommandShape[];
  readonly events: readonly EventShape[];
  readonly aggregates: readonly AggregateShape[];
  readonly services: readonly ServiceShape[];
  readonly projections: readonly ProjectionShape[];
  readonly workflows: readonly WorkflowShape[];
}

/** A context as a user template sees it: its GenContext and what it declares. */
export interface TemplateContext extends GenContext {
  readonly shapes: ContextShapes;
}

/** The GenModel as a user template sees it (`model`): each context with its shapes. */
export interface TemplateModel extends Omit<GenModel, "contexts"> {
  readonly contexts: readonly TemplateContext[];
}

/** The GenModel with each context's shapes (the context of the Model of the same name), for user templates. */
export function templateModel(gen: GenModel, contexts: readonly ContextModel[]): TemplateModel {
  const byName = new Map(contexts.map((c) => [c.name, c]));
  return {
    ...gen,
    contexts: gen.contexts.map((c) => {
      const declared = byName.get(c.name);
      if (declared === undefined) throw new Error(`eda bug: the GenModel's context ${c.name} is not in the Model`);
      return { ...c, shapes: contextShapes(declared) };
    }),
  };
}

/** What `context` declares, as data. */
export function contextShapes(context: ContextModel): ContextShapes {
  const handler = (h: HandlerModel): HandlerShape => ({ command: h.command.qualifiedName, emits: h.emits.map((e) => e.qualifiedName), rejects: h.rejects.map((r) => r.name) });
  const record = (r: { readonly name: string; readonly fields: readonly FieldModel[]; readonly doc?: string }, qualifiedName: string): RecordShape =>
    withDoc({ name: r.name, qualifiedName, fields: r.fields.map(fieldShape) }, r.doc);
  return withDoc(
    {
      types: context.types.map((t) => record(t, t.qualifiedName)),
      enums: context.enums.map((e) => withDoc({ name: e.name, qualifiedName: e.qualifiedName, members: e.members.map((m) => withDoc({ name: m.name }, m.doc)) }, e.doc)),
      commands: context.commands.map((c) => ({ ...record(c, c.qualifiedName), ...defined("handledBy", c.handler?.owner.qualifiedName) })),
      events: context.events.map((e) =>
        withDoc(
          {
            name: e.name,
            qualifiedName: e.qualifiedName,
            current: e.current.version,
            versions: e.versions.map((v) => ({ ...withDoc({ version: v.version, fields: v.fields.map(fieldShape) }, v.doc), ...defined("upcastFrom", e.upcasts.find((u) => u.to === v.version)?.from) })),
            emittedBy: [...new Set(e.emittedBy.map((h) => h.owner.qualifiedName))],
          },
          e.doc,
        ),
      ),
      aggregates: context.aggregates.map((a) =>
        withDoc(
          {
            name: a.name,
            qualifiedName: a.qualifiedName,
            ...defined("stream", a.stream?.field),
            state: a.state.map(fieldShape),
            ...defined("variants", a.variants?.map((v) => ({ name: v.name, fields: v.fields.map(fieldShape) }))),
            handlers: a.handlers.map(handler),
            rejections: a.rejections.map((r) => record(r, `${a.qualifiedName}.${r.name}`)),
            ...defined("snapshotEvery", a.snapshotEvery),
          },
          a.doc,
        ),
      ),
      services: context.services.map((s) =>
        withDoc({ name: s.name, qualifiedName: s.qualifiedName, handlers: s.handlers.map(handler), rejections: s.rejections.map((r) => record(r, `${s.qualifiedName}.${r.name}`)) }, s.doc),
      ),
      projections: context.projections.map((p) =>
        withDoc({ name: p.name, qualifiedName: p.qualifiedName, ...defined("key", p.key && fieldShape(p.key)), fields: p.fields.map(fieldShape), from: p.from.map((f) => f.event.qualifiedName) }, p.doc),
      ),
      workflows: context.workflows.map((w) =>
        withDoc(
          {
            name: w.name,
            qualifiedName: w.qualifiedName,
            mode: w.mode,
            ...defined("start", w.start?.qualifiedName),
            ...defined("correlate", w.correlate?.field),
            ...defined("timeoutMs", w.timeoutMs),
            steps: w.steps.map(stepShape),
            ...defined("onComplete", sent(w.onComplete)),
            ...defined("onFail", sent(w.onFail)),
            reactions: w.reactions.map((r) => withDoc({ event: r.event.qualifiedName, ...defined("sends", sent(r.send)) }, r.doc)),
          },
          w.doc,
        ),
      ),
    },
    context.doc,
  );
}

function fieldShape(f: FieldModel): FieldShape {
  const constraints = Object.fromEntries(Object.entries(f.constraints).filter(([, v]) => v !== undefined)) as Record<string, number | string>;
  return withDoc(
    {
      name: f.name,
      type: typeText(f.type),
      optional: f.optional,
      ...defined("default", f.defaultValue && valueText(f.defaultValue)),
      constraints,
      pii: f.pii,
      ...defined("piiSubject", f.piiSubject),
      ...defined("deprecated", f.deprecated),
    },
    f.doc,
  );
}

function stepShape(s: StepModel): StepShape {
  return withDoc(
    {
      name: s.name,
      ...defined("sends", sent(s.send)),
      ...defined("awaits", s.await?.qualifiedName),
      ...defined("failsOn", s.failOn?.qualifiedName),
      ...defined("compensates", sent(s.compensate)),
      compensateAlways: s.compensateAlways === true,
      ...defined("retry", s.retry && { count: s.retry.count, everyMs: s.retry.everyMs }),
    },
    s.doc,
  );
}

const sent = (send: SendModel | undefined): string | undefined => send?.command.qualifiedName;

/** `{ [key]: value }`, or nothing when the value is absent (optional fields are absent, never undefined). */
function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function withDoc<T extends object>(shape: T, doc: string | undefined): T & { readonly doc?: string } {
  return doc === undefined ? shape : { ...shape, doc };
}
