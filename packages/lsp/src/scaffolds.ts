/**
 * Code actions that write declarations: the missing handler line of an aggregate, the upcast
 * skeleton of a new event version, a projection's `from` for an unprojected event, and a new
 * version of an event (the way to change a stored one).
 */
import { sameType, typeText, type AggregateModel, type CommandModel, type EventModel, type EventVersionModel, type FieldModel, type ServiceModel } from "@eda/language";
import { CodeActionKind, type CodeAction } from "vscode-languageserver";
import { eventAt, type ActionContext } from "./action-context.js";
import { fieldLine } from "./hover.js";

/** Inserts `line` as the last line of the block that closes at `close` (the offset of its `}`). */
function insertLine(c: ActionContext, file: string, close: number, line: string) {
  const text = c.f.snapshot.texts.get(file) ?? "";
  const lineStart = text.lastIndexOf("\n", close - 1) + 1;
  const alone = text.slice(lineStart, close).trim() === "";
  return alone ? c.edit(file, lineStart, lineStart, `  ${line}\n`) : c.edit(file, close, close, `\n  ${line}\n`);
}

/** EDA4001: "No aggregate or service handles `X`" → add `on X emits …` to each candidate. */
export function handlerAction(c: ActionContext): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of c.diagnostics.filter((x) => x.code === "EDA4001")) {
    const ctx = c.model.contexts.find((x) => x.commands.some((cmd) => cmd.nameSpan.start === d.span.start && cmd.nameSpan.file === d.span.file));
    const command = ctx?.commands.find((cmd) => cmd.nameSpan.start === d.span.start);
    if (!ctx || !command) continue;
    const owners: (AggregateModel | ServiceModel)[] = [...ctx.aggregates, ...ctx.services];
    const event = bestEvent(command, ctx.events);
    for (const owner of owners) {
      const emits = event ? event.name : `${command.name}Handled`;
      const edits = [insertLine(c, owner.span.file, owner.span.end - 1, `on ${command.name} emits ${emits}`)];
      if (!event) {
        const fields = command.fields.map((f) => `  ${fieldLine(f)}`).join("\n");
        edits.push(c.edit(command.span.file, command.span.end, command.span.end, `\n\nevent ${emits} {\n${fields}\n}`));
      }
      out.push(c.action(`Handle \`${command.name}\` in ${owner.kind} \`${owner.name}\` (emits \`${emits}\`${event ? "" : ", a new event"})`, edits, d));
    }
  }
  return out;
}

/** The unemitted event of the context that shares most words with the command (`CancelOrder` → `OrderCancelled`). */
function bestEvent(command: CommandModel, events: readonly EventModel[]): EventModel | undefined {
  const words = (s: string) => new Set(s.match(/[A-Z][a-z0-9]*/g)?.map((w) => w.toLowerCase().replace(/e?d$/, "").replace(/e$/, "")) ?? []);
  const mine = words(command.name);
  let best: EventModel | undefined;
  let score = 0;
  for (const e of events) {
    if (e.emittedBy.length > 0) continue;
    const s = [...words(e.name)].filter((w) => mine.has(w)).length;
    if (s > score) [best, score] = [e, s];
  }
  return best;
}

/** EDA3002: a version with no upcast path → the upcast from it to the next version, with a rule per field that needs one. */
export function upcastAction(c: ActionContext): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of c.diagnostics.filter((x) => x.code === "EDA3002")) {
    const m = /Add `upcast (\S+) v(\d+) -> v(\d+)/.exec(d.hint ?? "");
    const ev = c.model.contexts.flatMap((x) => x.events).find((e) => e.versions.some((v) => v.headerSpan.start === d.span.start && v.headerSpan.file === d.span.file));
    if (!m || !ev) continue;
    const from = ev.versions.find((v) => v.version === Number(m[2]));
    const to = ev.versions.find((v) => v.version === Number(m[3]));
    if (!from || !to) continue;
    const text = upcastText(ev.name, from, to);
    const after = ev.current.span;
    out.push(c.action(`Add \`upcast ${ev.name} v${from.version} -> v${to.version}\``, [c.edit(after.file, after.end, after.end, `\n\n${text}`)], d));
  }
  return out;
}

/** `upcast E vA -> vB { … }`: a rule for each field of vB that is not carried over. */
export function upcastText(name: string, from: EventVersionModel, to: EventVersionModel): string {
  const gone = from.fields.filter((o) => !to.fields.some((f) => f.name === o.name));
  const rules: string[] = [];
  for (const f of to.fields) {
    const old = from.fields.find((o) => o.name === f.name);
    if (old && sameType(old.type, f.type) && (f.optional || !old.optional)) continue;
    if (f.defaultValue || f.optional) continue;
    const renamed = gone.filter((o) => sameType(o.type, f.type) && !o.optional);
    rules.push(renamed.length === 1 && renamed[0] ? `${f.name} = from ${renamed[0].name}` : `${f.name} = compute`);
  }
  return `upcast ${name} v${from.version} -> v${to.version} {\n${rules.map((r) => `  ${r}\n`).join("")}}`;
}

/** At an event that no projection reads: add it to the `from` of each projection whose key it carries, or create one. */
export function projectionActions(c: ActionContext): CodeAction[] {
  const ev = eventAt(c);
  if (!ev) return [];
  const projections = c.model.contexts.flatMap((x) => x.projections);
  if (projections.some((p) => p.from.some((x) => x.event === ev))) return [];
  const out: CodeAction[] = [];
  for (const p of projections) {
    const key = p.key;
    if (!key || !ev.current.fields.some((f) => f.name === key.name && sameType(f.type, key.type) && !f.optional)) continue;
    const name = p.context === ev.context ? ev.name : ev.qualifiedName;
    const last = p.from[p.from.length - 1];
    const edit = last ? c.edit(last.span.file, last.span.end, last.span.end, `, ${name}`) : insertLine(c, p.span.file, p.span.end - 1, `from ${name}`);
    out.push(c.action(`Project \`${ev.name}\` in \`${p.name}\``, [edit], undefined, CodeActionKind.RefactorRewrite));
  }
  const key = ev.current.fields.find((f) => !f.optional && f.type.kind === "scalar" && f.type.name === "uuid") ?? ev.current.fields.find((f) => !f.optional);
  if (key && ev.context === c.model.contexts.find((x) => x.files.includes(c.f.key))?.name) {
    const text = `projection ${ev.name}View {\n  key ${key.name}: ${typeText(key.type).replace(/^.*\./, "")}\n  from ${ev.name}\n}`;
    const at = ev.current.span;
    out.push(c.action(`Create a projection of \`${ev.name}\``, [c.edit(at.file, at.end, at.end, `\n\n${text}`)], undefined, CodeActionKind.RefactorRewrite));
  }
  return out;
}

/** At an event's current version: declare the next version (same fields) and its upcast. */
export function newVersionAction(c: ActionContext): CodeAction[] {
  const ev = eventAt(c);
  if (!ev) return [];
  const v = ev.current;
  const next = v.version + 1;
  const fields = v.fields.map((f: FieldModel) => `  ${fieldLine(f)}`).join("\n");
  const text = `\n\nevent ${ev.name} v${next} {\n${fields}\n}\n\nupcast ${ev.name} v${v.version} -> v${next} {\n}`;
  return [c.action(`Add a new version of \`${ev.name}\` (v${next}, with its upcast)`, [c.edit(v.span.file, v.span.end, v.span.end, text)], undefined, CodeActionKind.RefactorRewrite)];
}
