/** Command handling: one handler per command, in its own context; events emitted by one owner. */
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { CommandModel, HandlerModel, Model } from "../resolve/model.js";
import { allHandlers } from "./walk.js";

export function checkHandlers(model: Model, out: Diagnostic[]): void {
  const handlers = allHandlers(model);
  const byCommand = new Map<CommandModel, HandlerModel[]>();
  for (const h of handlers) byCommand.set(h.command, [...(byCommand.get(h.command) ?? []), h]);
  for (const c of model.contexts) {
    for (const command of c.commands) {
      const hs = byCommand.get(command) ?? [];
      if (hs.length === 0) {
        out.push(diagnostic("EDA4001", command.nameSpan, `No aggregate or service handles the command \`${command.name}\`.`, { hint: `Add \`on ${command.name} emits …\` to the aggregate or service of context \`${c.name}\` that performs it.` }));
      }
      for (const extra of hs.slice(1)) {
        const first = hs[0] as HandlerModel;
        out.push(
          diagnostic("EDA4002", extra.commandSpan, `\`${command.name}\` is already handled by ${first.owner.kind} \`${first.owner.name}\`; a command has exactly one handler.`, {
            labels: [{ span: first.commandSpan, message: "the other handler" }],
            hint: "Keep one handler; other parts of the system can react to the events it emits.",
          }),
        );
      }
    }
    for (const owner of [...c.aggregates, ...c.services]) {
      if (owner.handlers.length === 0) out.push(diagnostic("EDA4009", owner.nameSpan, `The ${owner.kind} \`${owner.name}\` handles no command.`, { hint: "Add `on Command emits Event` lines, or remove it." }));
    }
  }
  for (const h of handlers) checkOwnContext(h, out);
  checkSingleEmitter(model, out);
}

function checkOwnContext(h: HandlerModel, out: Diagnostic[]): void {
  const ctx = h.owner.context;
  if (h.command.context !== ctx) {
    out.push(
      diagnostic("EDA4004", h.commandSpan, `\`${h.owner.name}\` is in context \`${ctx}\` but handles \`${h.command.qualifiedName}\`, a command of another context.`, {
        hint: `Handle it in context \`${h.command.context}\`, or declare the command in \`${ctx}\`.`,
      }),
    );
  }
  h.emits.forEach((ev, i) => {
    if (ev.context === ctx) return;
    out.push(
      diagnostic("EDA4003", h.emitSpans[i] ?? h.span, `\`${h.owner.name}\` is in context \`${ctx}\` but emits \`${ev.qualifiedName}\`, an event of another context.`, {
        hint: `Declare the event in \`${ctx}\`: a context records only its own facts.`,
      }),
    );
  });
}

function checkSingleEmitter(model: Model, out: Diagnostic[]): void {
  for (const c of model.contexts) {
    for (const ev of c.events) {
      const owners = [...new Set(ev.emittedBy.map((h) => h.owner))];
      for (const other of owners.slice(1)) {
        const h = ev.emittedBy.find((x) => x.owner === other) as HandlerModel;
        const first = ev.emittedBy[0] as HandlerModel;
        out.push(
          diagnostic("EDA4013", h.emitSpans[h.emits.indexOf(ev)] ?? h.span, `\`${ev.name}\` is emitted by both \`${first.owner.name}\` and \`${other.name}\`.`, {
            labels: [{ span: first.emitSpans[first.emits.indexOf(ev)] ?? first.span, message: `emitted by \`${first.owner.name}\` here` }],
            hint: "An event usually has one source of truth; consider two events.",
          }),
        );
      }
    }
  }
}
