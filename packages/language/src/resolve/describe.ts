/** Plain views of a Model: a span-free JSON description (for comparisons) and a human summary. */
import type { ContextModel, FieldModel, FieldSource, Model, SendModel, Value } from "./model.js";
import { typeText } from "./types.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function value(v: Value | undefined): Json {
  if (!v) return null;
  switch (v.kind) {
    case "number":
      return { number: v.value };
    case "string":
      return { string: v.value };
    case "bool":
      return v.value;
    case "emptyList":
      return [];
    case "emptyObject":
      return {};
    case "duration":
      return { ms: v.ms };
    case "enumMember":
      return { enum: v.decl.qualifiedName, member: v.member };
  }
}

function fields(fs: readonly FieldModel[]): Json {
  return fs.map((f) => ({
    name: f.name,
    optional: f.optional,
    type: typeText(f.type),
    default: value(f.defaultValue),
    constraints: { ...f.constraints } as { [key: string]: Json },
    pii: f.pii,
    ...(f.piiSubject === undefined ? {} : { piiSubject: f.piiSubject }),
    deprecated: f.deprecated ?? null,
    doc: f.doc ?? null,
  }));
}

function source(s: FieldSource): Json {
  if (s.kind === "event") return { event: s.event.qualifiedName, field: s.field };
  if (s.kind === "literal") return { literal: value(s.value) };
  if (s.kind === "trigger") return { trigger: s.field };
  return s.kind;
}

function send(s: SendModel | undefined): Json {
  return s ? { command: s.command.qualifiedName, fields: s.fields.map((f) => ({ field: f.field, source: source(f.source) })) } : null;
}

function context(c: ContextModel): Json {
  return {
    name: c.name,
    doc: c.doc ?? null,
    types: c.types.map((t) => ({ name: t.name, doc: t.doc ?? null, fields: fields(t.fields) })),
    enums: c.enums.map((e) => ({ name: e.name, doc: e.doc ?? null, members: e.members.map((m) => [m.name, m.doc ?? null]) })),
    commands: c.commands.map((m) => ({ name: m.name, doc: m.doc ?? null, fields: fields(m.fields), handler: m.handler?.owner.qualifiedName ?? null })),
    events: c.events.map((e) => ({
      name: e.name,
      versions: e.versions.map((v) => ({ version: v.version, doc: v.doc ?? null, fields: fields(v.fields), path: v.upcastPath.map((u) => `${u.from}->${u.to}`) })),
      upcasts: e.upcasts.map((u) => ({ from: u.from, to: u.to, doc: u.doc ?? null, plan: u.plan.map((p) => ({ ...p, value: "value" in p ? value(p.value) : null })) })),
    })),
    aggregates: c.aggregates.map((a) => ({
      name: a.name,
      doc: a.doc ?? null,
      stream: a.stream?.field ?? null,
      state: fields(a.state),
      ...(a.variants ? { variants: a.variants.map((v) => ({ name: v.name, fields: fields(v.fields) })) } : {}),
      snapshotEvery: a.snapshotEvery ?? null,
      handlers: a.handlers.map((h) => ({ command: h.command.qualifiedName, emits: h.emits.map((e) => e.qualifiedName) })),
    })),
    services: c.services.map((s) => ({ name: s.name, doc: s.doc ?? null, handlers: s.handlers.map((h) => ({ command: h.command.qualifiedName, emits: h.emits.map((e) => e.qualifiedName) })) })),
    projections: c.projections.map((p) => ({ name: p.name, doc: p.doc ?? null, key: p.key ? fields([p.key]) : null, fields: fields(p.fields), from: p.from.map((f) => f.event.qualifiedName) })),
    workflows: c.workflows.map((w) => ({
      name: w.name,
      doc: w.doc ?? null,
      mode: w.mode,
      start: w.start?.qualifiedName ?? null,
      correlate: w.correlate?.field ?? null,
      timeoutMs: w.timeoutMs ?? null,
      steps: w.steps.map((s) => ({ name: s.name, doc: s.doc ?? null, send: send(s.send), await: s.await?.qualifiedName ?? null, failOn: s.failOn?.qualifiedName ?? null, compensate: send(s.compensate), ...(s.compensateAlways ? { compensateAlways: true } : {}), retry: s.retry ? [s.retry.count, s.retry.everyMs] : null })),
      onComplete: send(w.onComplete),
      onFail: send(w.onFail),
      reactions: w.reactions.map((r) => ({ event: r.event.qualifiedName, doc: r.doc ?? null, send: send(r.send) })),
    })),
  };
}

/** The model as plain JSON without source positions: two models are the same iff these are equal. */
export function describeModel(model: Model): Json {
  return model.contexts.map(context);
}

/** A few lines that say what a model holds, for people. */
export function summarizeModel(model: Model): string {
  const lines: string[] = [];
  const count = (n: number, noun: string): string | undefined => (n === 0 ? undefined : `${n} ${noun}${n === 1 ? "" : "s"}`);
  for (const c of model.contexts) {
    const versions = c.events.reduce((n, e) => n + e.versions.length, 0);
    const parts = [
      count(c.types.length + c.enums.length, "type"),
      count(c.commands.length, "command"),
      count(c.events.length, "event") + (versions > c.events.length ? ` (${versions} versions)` : ""),
      count(c.aggregates.length, "aggregate"),
      count(c.services.length, "service"),
      count(c.projections.length, "projection"),
      count(c.workflows.length, "workflow"),
    ].filter((p) => p !== undefined && !p.startsWith("undefined"));
    lines.push(`  ${c.name.padEnd(16)} ${parts.join(", ")}`);
  }
  const flows = model.contexts.flatMap((c) => c.workflows);
  const header = `${model.contexts.length} context${model.contexts.length === 1 ? "" : "s"} in ${model.files.length} file${model.files.length === 1 ? "" : "s"}`;
  const wf = flows.map((w) => `  ${w.qualifiedName}: ${w.mode}, ${w.mode === "orchestrated" ? `${w.steps.length} steps (${w.steps.map((s) => s.name).join(" → ")})` : `${w.reactions.length} rules`}`);
  return [header, ...lines, ...(wf.length > 0 ? ["Workflows:", ...wf] : [])].join("\n");
}
