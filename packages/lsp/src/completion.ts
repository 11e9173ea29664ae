/**
 * Completion by position: the keywords valid there, types, the commands and events in scope,
 * fields (in `stream`, `key`, `correlate`, mappings and upcast rules), decorators with their
 * arguments. Names come from the last compiled model, so typing never waits for a check.
 */
import { BUILTIN_TYPES, DECORATORS, type ContextModel, type DeclarationModel, type EventModel, type FieldModel, type Model } from "@eda/language";
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type Position } from "vscode-languageserver";
import { cursorAt, type Cursor } from "./cursor.js";
import type { Features } from "./features.js";
import { LineMap } from "./positions.js";

type Kind = DeclarationModel["kind"];

const TOP_LEVEL: [string, string][] = [
  ["type", "type ${1:Name} {\n  $0\n}"],
  ["enum", "enum ${1:Name} { $0 }"],
  ["command", "command ${1:Name} {\n  $0\n}"],
  ["event", "event ${1:Name} {\n  $0\n}"],
  ["upcast", "upcast ${1:Event} v${2:1} -> v${3:2} {\n  $0\n}"],
  ["aggregate", "aggregate ${1:Name} {\n  stream ${2:id}\n  $0\n}"],
  ["service", "service ${1:Name} {\n  $0\n}"],
  ["projection", "projection ${1:Name} {\n  key ${2:id}: ${3:uuid}\n  from $0\n}"],
  ["workflow", "workflow ${1:Name} ${2|orchestrated,choreographed|} {\n  $0\n}"],
  ["use", "use $0"],
];
const DECORATOR_SNIPPETS: Record<keyof typeof DECORATORS, string> = {
  min: "min(${1:0})",
  max: "max(${1:100})",
  minLength: "minLength(${1:1})",
  maxLength: "maxLength(${1:200})",
  pattern: 'pattern("${1:^[A-Z]+$}")',
  minItems: "minItems(${1:1})",
  maxItems: "maxItems(${1:100})",
  pii: "pii",
  deprecated: 'deprecated("${1:why}")',
};

/** The completions at a position. */
export function completions(f: Features | undefined, p: Position): CompletionItem[] | null {
  if (!f) return null;
  const written = f.project.text(f.key) ?? "";
  const offset = (f.project.fresh ? f.snapshot.lines(f.key) : new LineMap(written)).offset(p);
  // A lone `\r` ends a line too; as `\n` (same length, so offsets hold) the cursor reads it as one.
  const text = written.replace(/\r(?!\n)/g, "\n");
  const cursor = cursorAt(text, offset);
  const model = f.snapshot.result.model;
  // Line patterns start `^[^\S\n]*`, not `^\s*`: that one backtracks over a run of blank lines from each of them.
  const context = /^[^\S\n]*context\s+([A-Za-z_]\w*)/m.exec(text)?.[1];
  const uses = [...text.matchAll(/^[^\S\n]*use\s([\w\s,]+)$/gm)].flatMap((m) => (m[1] ?? "").split(/[\s,]+/).filter(Boolean));
  const scope = new Scope(model, context, uses);
  return new Completer(cursor, scope, text).items();
}

/** The names a file sees: its own context unqualified, used contexts unqualified, others qualified. */
class Scope {
  constructor(
    readonly model: Model,
    readonly context: string | undefined,
    readonly uses: readonly string[],
  ) {}

  /** Declarations of the kinds, as the file would write their names. */
  declarations(kinds: readonly Kind[]): { name: string; decl: DeclarationModel }[] {
    const out: { name: string; decl: DeclarationModel }[] = [];
    for (const c of this.model.contexts) {
      const visible = c.name === this.context || this.uses.includes(c.name);
      for (const d of declarationsOf(c)) if (kinds.includes(d.kind)) out.push({ name: visible ? d.name : d.qualifiedName, decl: d });
    }
    return out;
  }

  /** A declaration named as written here (`Name` or `Context.Name`). */
  find(written: string, kinds: readonly Kind[]): DeclarationModel | undefined {
    return this.declarations(kinds).find((x) => x.name === written || x.decl.qualifiedName === written)?.decl;
  }
}

function declarationsOf(c: ContextModel): DeclarationModel[] {
  return [...c.types, ...c.enums, ...c.commands, ...c.events, ...c.aggregates, ...c.services, ...c.projections, ...c.workflows];
}

const ITEM_KIND: Record<Kind, CompletionItemKind> = {
  type: CompletionItemKind.Struct,
  enum: CompletionItemKind.Enum,
  command: CompletionItemKind.Function,
  event: CompletionItemKind.Event,
  aggregate: CompletionItemKind.Class,
  service: CompletionItemKind.Interface,
  projection: CompletionItemKind.Module,
  workflow: CompletionItemKind.Module,
};

class Completer {
  constructor(
    private readonly c: Cursor,
    private readonly scope: Scope,
    private readonly text: string,
  ) {}

  items(): CompletionItem[] {
    const before = this.c.before.trimStart();
    if (this.c.declaration === undefined) return this.topLevel(before);
    const at = /@([A-Za-z]*)$/.exec(before);
    if (at) return this.decorators();
    const decl = this.c.declaration;
    const blocks = this.c.blocks;
    if (blocks.length === 0) return this.header(decl, before);
    if (/^[A-Za-z_]\w*\??\s*:\s*(?:[\w.<>,[][\w.<>, []*)?$/.test(lastEntry(before)) && !/^(on|send|await|from)\b/.test(before)) return this.types();
    if (decl === "upcast") return this.upcast(before);
    if (decl === "aggregate" || decl === "service") return this.handlers(decl, before, blocks);
    if (decl === "projection") return this.projection(before);
    if (decl === "workflow") return this.workflow(before, blocks);
    return [];
  }

  private topLevel(before: string): CompletionItem[] {
    if (/^use\s[\w\s,]*$/.test(before)) return this.scope.model.contexts.map((c) => ({ label: c.name, kind: CompletionItemKind.Module }));
    if (/^upcast\s+[\w.]*$/.test(before)) return this.names(["event"]);
    if (before.includes(" ")) return [];
    const items: CompletionItem[] = TOP_LEVEL.map(([label, snippet]) => ({ label, kind: CompletionItemKind.Keyword, insertText: snippet, insertTextFormat: InsertTextFormat.Snippet }));
    if (!/^[^\S\n]*context\s/m.test(this.text)) items.unshift({ label: "context", kind: CompletionItemKind.Keyword, insertText: "context ${1:Name}", insertTextFormat: InsertTextFormat.Snippet });
    return items;
  }

  /** Inside a declaration's first line, before its `{`: the next version of an event. */
  private header(decl: string, before: string): CompletionItem[] {
    const m = /^event\s+(\w+)\s+v?$/.exec(before);
    if (decl === "event" && m) {
      const ev = this.scope.find(m[1] as string, ["event"]);
      if (ev?.kind === "event") return [{ label: `v${ev.current.version + 1}`, kind: CompletionItemKind.Constant, detail: `the next version of ${ev.name}` }];
    }
    if (/^upcast\s+[\w.]*$/.test(before)) return this.names(["event"]);
    if (/^workflow\s+\w+\s+\w*$/.test(before)) return ["orchestrated", "choreographed"].map((label) => ({ label, kind: CompletionItemKind.Keyword }));
    return [];
  }

  private decorators(): CompletionItem[] {
    return Object.keys(DECORATORS).map((name) => ({
      label: `@${name}`,
      filterText: name,
      kind: CompletionItemKind.Property,
      insertText: DECORATOR_SNIPPETS[name as keyof typeof DECORATORS],
      insertTextFormat: InsertTextFormat.Snippet,
    }));
  }

  private types(): CompletionItem[] {
    const builtins: CompletionItem[] = BUILTIN_TYPES.map((t) => ({ label: t, kind: CompletionItemKind.Keyword, detail: "built-in type" }));
    builtins.push({ label: "map", kind: CompletionItemKind.Keyword, insertText: "map<string, ${1:T}>", insertTextFormat: InsertTextFormat.Snippet, detail: "map<string, T>" });
    return [...builtins, ...this.names(["type", "enum"])];
  }

  private names(kinds: readonly Kind[], first?: (d: DeclarationModel) => boolean): CompletionItem[] {
    return this.scope.declarations(kinds).map(({ name, decl }) => ({
      label: name,
      kind: ITEM_KIND[decl.kind],
      detail: `${decl.kind} ${decl.qualifiedName}`,
      ...(decl.doc ? { documentation: decl.doc } : {}),
      ...(first ? { sortText: `${first(decl) ? "0" : "1"}${name}` } : {}),
    }));
  }

  private keywords(words: readonly string[]): CompletionItem[] {
    return words.map((w) => ({ label: w, kind: CompletionItemKind.Keyword }));
  }

  private fields(list: readonly FieldModel[], detail: string): CompletionItem[] {
    return list.map((f) => ({ label: f.name, kind: CompletionItemKind.Field, detail }));
  }

  private handlers(decl: string, before: string, blocks: readonly string[]): CompletionItem[] {
    if (blocks.length > 1) return [];
    if (/^on\s+[\w.]*$/.test(before)) return this.names(["command"], (d) => d.kind === "command" && !d.handler);
    if (/\b(emits|\|)\s*[\w.]*$/.test(before)) return this.names(["event"], (d) => d.kind === "event" && d.emittedBy.length === 0);
    if (/^on\s+[\w.]+\s+\w*$/.test(before)) return this.keywords(["emits"]);
    if (decl === "aggregate" && /^stream\s+\w*$/.test(before)) return this.streamFields();
    if (/^\w*$/.test(before)) return this.keywords(decl === "aggregate" ? ["stream", "state", "on", "snapshot every"] : ["on"]);
    return [];
  }

  /** Fields every command of the aggregate carries. */
  private streamFields(): CompletionItem[] {
    const commands = [...this.text.matchAll(/^[^\S\n]*on\s+([\w.]+)\s+emits/gm)].map((m) => this.scope.find(m[1] as string, ["command"])).filter((d) => d?.kind === "command");
    if (commands.length === 0) return [];
    const names = commands.map((d) => new Set((d as Extract<DeclarationModel, { kind: "command" }>).fields.filter((f) => !f.optional).map((f) => f.name)));
    const common = [...(names[0] ?? [])].filter((n) => names.every((s) => s.has(n)));
    return common.map((label) => ({ label, kind: CompletionItemKind.Field, detail: "carried by every command handled here" }));
  }

  private projection(before: string): CompletionItem[] {
    if (/^from\s[\w.,\s]*$/.test(before)) return this.names(["event"]);
    if (/^key\s+\w*$/.test(before)) {
      const from = /^[^\S\n]*from\s([\w.,\s]+)$/m.exec(this.text.slice(this.c.wordStart))?.[1] ?? /^[^\S\n]*from\s([\w.,\s]+)$/m.exec(this.text)?.[1] ?? "";
      const events = from.split(/[\s,]+/).map((n) => this.scope.find(n, ["event"])).filter((e): e is EventModel => e?.kind === "event");
      const shared = events[0]?.current.fields.filter((f) => events.every((e) => e.current.fields.some((g) => g.name === f.name))) ?? [];
      return shared.map((f) => ({ label: f.name, kind: CompletionItemKind.Field, insertText: `${f.name}: ${typeName(f)}`, detail: "carried by every event of `from`" }));
    }
    if (/^\w*$/.test(before)) return this.keywords(["key", "fields", "from"]);
    return [];
  }

  private upcast(before: string): CompletionItem[] {
    const m = /^upcast\s+([\w.]+)\s+v(\d+)\s*->\s*v(\d+)/.exec(this.c.header);
    const ev = m ? this.scope.find(m[1] as string, ["event"]) : undefined;
    if (!m || ev?.kind !== "event") return [];
    const from = ev.versions.find((v) => v.version === Number(m[2]));
    const to = ev.versions.find((v) => v.version === Number(m[3]));
    if (/^\w+\s*=\s*from\s+\w*$/.test(before)) return this.fields(from?.fields ?? [], `field of ${ev.name} v${m[2]}`);
    if (/^\w+\s*=\s*\w*$/.test(before)) return this.keywords(["from", "compute"]);
    if (/^\w*$/.test(before)) {
      const carried = new Set(from?.fields.map((f) => f.name));
      return (to?.fields ?? []).map((f) => ({ label: f.name, kind: CompletionItemKind.Field, detail: `field of ${ev.name} v${m[3]}`, sortText: `${carried.has(f.name) ? "1" : "0"}${f.name}` }));
    }
    return [];
  }

  private workflow(before: string, blocks: readonly string[]): CompletionItem[] {
    const orchestrated = /\borchestrated\b/.test(this.c.header);
    const inner = blocks[blocks.length - 1] ?? "";
    const send = /(?:^|\s)(?:send|compensate)\s+([\w.]+)$/.exec(inner);
    if (send) return this.mapping(before, send[1] as string, blocks);
    if (/(^|\s)(await|on|start on|fail on)\s+[\w.]*$/.test(before) && !/^on\s+(complete|fail)\b/.test(before)) return this.names(["event"]);
    if (/(^|\s)(send|compensate)\s+[\w.]*$/.test(before)) return this.names(["command"]);
    if (/^correlate\s+\w*$/.test(before)) {
      const start = /^[^\S\n]*start\s+on\s+([\w.]+)/m.exec(this.text)?.[1];
      const ev = start ? this.scope.find(start, ["event"]) : undefined;
      return ev?.kind === "event" ? this.fields(ev.current.fields, `field of ${ev.name}`) : [];
    }
    if (!/^\w*$/.test(before)) return [];
    if (blocks.length > 1) return this.keywords(["send", "await", "fail on", "compensate", "retry"]);
    return this.keywords(orchestrated ? ["start on", "correlate", "timeout", "step", "on complete send", "on fail send"] : ["on"]);
  }

  /** Inside `send Command { … }`: the command's fields as targets, the trigger's fields as sources. */
  private mapping(before: string, commandName: string, blocks: readonly string[]): CompletionItem[] {
    const command = this.scope.find(commandName, ["command"]);
    const entry = before.split(",").pop()?.trim() ?? "";
    if (/^\w+\s*=\s*[\w.]*$/.test(entry)) {
      const trigger = this.trigger(blocks);
      const items = trigger ? this.fields(trigger.current.fields, `field of ${trigger.name}`) : [];
      return [...items, ...this.keywords(["compute"])];
    }
    if (/^\w*$/.test(entry) && command?.kind === "command") return this.fields(command.fields, `field of ${command.name}`);
    return [];
  }

  private trigger(blocks: readonly string[]): EventModel | undefined {
    const reaction = /^on\s+([\w.]+)\s+send\b/.exec(blocks[blocks.length - 1] ?? "");
    const start = /^[^\S\n]*start\s+on\s+([\w.]+)/m.exec(this.text)?.[1];
    const name = reaction?.[1] ?? start;
    const ev = name ? this.scope.find(name, ["event"]) : undefined;
    return ev?.kind === "event" ? ev : undefined;
  }
}

/** The text after the last `,` or `;` outside `<…>`: the field being written on a line of several. */
function lastEntry(before: string): string {
  let depth = 0;
  let start = 0;
  for (let i = 0; i < before.length; i++) {
    const ch = before[i];
    if (ch === "<") depth++;
    else if (ch === ">") depth = Math.max(0, depth - 1);
    else if ((ch === "," || ch === ";") && depth === 0) start = i + 1;
  }
  return before.slice(start).trimStart();
}

function typeName(f: FieldModel): string {
  const t = f.type;
  return t.kind === "scalar" ? t.name : t.kind === "type" || t.kind === "enum" ? t.decl.name : "uuid";
}
