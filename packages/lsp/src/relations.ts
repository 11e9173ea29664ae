/**
 * Who uses a declaration: the handler of a command and the workflows that send it; the handlers
 * that emit an event, the projections built from it, the workflows it starts, advances or fails.
 */
import type { DeclarationModel, Model, SendModel, WorkflowModel } from "@eda/language";

/** One sentence per relation, in markdown. */
export function relationsOf(d: DeclarationModel, model: Model): string[] {
  if (d.kind === "command") return commandRelations(d.qualifiedName, d.handler, model);
  if (d.kind === "event") return eventRelations(d.qualifiedName, model, d.emittedBy);
  return [];
}

type Handler = NonNullable<Extract<DeclarationModel, { kind: "command" }>["handler"]>;

function commandRelations(name: string, handler: Handler | undefined, model: Model): string[] {
  const out: string[] = [];
  if (handler) out.push(`Handled by ${handler.owner.kind} \`${handler.owner.name}\`, which emits ${handler.emits.map((e) => `\`${e.name}\``).join(" | ") || "nothing"}.`);
  else out.push("Handled by no aggregate or service yet.");
  for (const wf of workflows(model)) {
    const where = sendsOf(wf)
      .filter(([, s]) => s.command.qualifiedName === name)
      .map(([what]) => what);
    if (where.length > 0) out.push(`Sent by workflow \`${wf.name}\` (${where.join(", ")}).`);
  }
  return out;
}

function eventRelations(name: string, model: Model, emittedBy: readonly Handler[]): string[] {
  const out: string[] = [];
  for (const h of emittedBy) out.push(`Emitted by ${h.owner.kind} \`${h.owner.name}\` on \`${h.command.name}\`.`);
  if (emittedBy.length === 0) out.push("Emitted by no handler yet.");
  for (const c of model.contexts) {
    for (const p of c.projections) if (p.from.some((x) => x.event.qualifiedName === name)) out.push(`Projected by \`${p.qualifiedName}\`.`);
  }
  for (const wf of workflows(model)) {
    if (wf.start?.qualifiedName === name) out.push(`Starts workflow \`${wf.name}\`.`);
    for (const s of wf.steps) {
      if (s.await?.qualifiedName === name) out.push(`Awaited by step \`${s.name}\` of \`${wf.name}\`.`);
      if (s.failOn?.qualifiedName === name) out.push(`Fails step \`${s.name}\` of \`${wf.name}\`.`);
    }
    for (const r of wf.reactions) if (r.event.qualifiedName === name) out.push(`Triggers a rule of \`${wf.name}\`${r.send ? ` that sends \`${r.send.command.name}\`` : ""}.`);
  }
  return out;
}

function workflows(model: Model): WorkflowModel[] {
  return model.contexts.flatMap((c) => c.workflows);
}

/** Every command a workflow sends, with where. */
function sendsOf(wf: WorkflowModel): [string, SendModel][] {
  const out: [string, SendModel][] = [];
  for (const s of wf.steps) {
    if (s.send) out.push([`step \`${s.name}\``, s.send]);
    if (s.compensate) out.push([`compensation of \`${s.name}\``, s.compensate]);
  }
  if (wf.onComplete) out.push(["on complete", wf.onComplete]);
  if (wf.onFail) out.push(["on fail", wf.onFail]);
  for (const r of wf.reactions) if (r.send) out.push([`on \`${r.event.name}\``, r.send]);
  return out;
}
