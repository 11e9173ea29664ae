/** Command handling: one handler per command, in its own context; events emitted by one owner. */
import { label, report, type Diagnostic } from "../diagnostics/diagnostic.js";
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
        out.push(report("EDA4001", command.nameSpan, { command: command.name, context: c.name }));
      }
      for (const extra of hs.slice(1)) {
        const first = hs[0] as HandlerModel;
        out.push(
          report("EDA4002", extra.commandSpan, { command: command.name, kind: first.owner.kind, owner: first.owner.name }, { labels: [label(first.commandSpan, "otherHandler")] }),
        );
      }
    }
    for (const owner of [...c.aggregates, ...c.services]) {
      if (owner.handlers.length === 0) out.push(report("EDA4009", owner.nameSpan, { kind: owner.kind, owner: owner.name }));
    }
  }
  for (const h of handlers) checkOwnContext(h, out);
  checkSingleEmitter(model, out);
}

function checkOwnContext(h: HandlerModel, out: Diagnostic[]): void {
  const ctx = h.owner.context;
  if (h.command.context !== ctx) {
    out.push(
      report("EDA4004", h.commandSpan, { owner: h.owner.name, context: ctx, command: h.command.qualifiedName, commandContext: h.command.context }),
    );
  }
  h.emits.forEach((ev, i) => {
    if (ev.context === ctx) return;
    out.push(
      report("EDA4003", h.emitSpans[i] ?? h.span, { owner: h.owner.name, context: ctx, event: ev.qualifiedName }),
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
          report("EDA4013", h.emitSpans[h.emits.indexOf(ev)] ?? h.span, { event: ev.name, first: first.owner.name, second: other.name }, {
            labels: [label(first.emitSpans[first.emits.indexOf(ev)] ?? first.span, "emittedBy", { owner: first.owner.name })],
          }),
        );
      }
    }
  }
}
