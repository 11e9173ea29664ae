/**
 * Hover: a declaration's doc, its fields with types and constraints, an event's versions and
 * upcasts, and who sends, handles, emits, projects or awaits it. Fields and contexts too.
 */
import { typeText, valueText, type DeclarationModel, type EventModel, type FieldModel, type Model, type UpcastModel } from "@eda/language";
import { MarkupKind, type Hover, type Position } from "vscode-languageserver";
import { symbolAt, type Features } from "./features.js";
import { relationsOf } from "./relations.js";

/** The hover of the symbol under the cursor. */
export function hover(f: Features | undefined, p: Position): Hover | null {
  if (!f) return null;
  const found = symbolAt(f, p);
  if (!found) return null;
  const { info, occurrence } = found;
  const range = f.snapshot.lines(f.key).spanRange(occurrence.span);
  let text: string;
  if (info.kind === "context") {
    const c = info.context;
    const counts = [`${c.commands.length} commands`, `${c.events.length} events`, `${c.aggregates.length + c.services.length} handlers`, `${c.files.length} files`];
    text = [code(`context ${c.name}`), c.doc ?? "", counts.join(" · ")].filter(Boolean).join("\n\n");
  } else if (info.kind === "field") {
    const owner = info.owner.kind === "event" ? `${info.owner.qualifiedName} v${info.version ?? 1}` : info.owner.qualifiedName;
    text = [code(fieldLine(info.field)), `Field of ${info.owner.kind} \`${owner}\`.`, info.field.doc ?? ""].filter(Boolean).join("\n\n");
  } else {
    text = describeDeclaration(info.declaration, f.snapshot.result.model);
  }
  return { contents: { kind: MarkupKind.Markdown, value: text }, range };
}

function code(text: string): string {
  return "```eda\n" + text + "\n```";
}

/** The markdown description of a declaration. */
export function describeDeclaration(d: DeclarationModel, model: Model): string {
  const parts = [code(headerOf(d)), d.doc ?? ""];
  switch (d.kind) {
    case "type":
    case "command":
      parts.push(fieldList(d.fields));
      break;
    case "event":
      parts.push(fieldList(d.current.fields), versionsOf(d));
      break;
    case "enum":
      parts.push(d.members.map((m) => `- \`${m.name}\`${m.doc ? ` — ${m.doc}` : ""}`).join("\n"));
      break;
    case "aggregate":
      parts.push(d.stream ? `Stream: \`${d.stream.field}\`` : "", d.state.length > 0 ? `State:\n${fieldList(d.state)}` : "");
      if (d.variants) parts.push(`State, one of:\n${d.variants.map((v) => `- \`${v.name}\`${v.fields.length > 0 ? `: ${v.fields.map((f) => `\`${fieldLine(f)}\``).join(", ")}` : ""}`).join("\n")}`);
      break;
    case "projection":
      parts.push(d.key ? `Key: \`${fieldLine(d.key)}\`` : "", d.fields.length > 0 ? `Row:\n${fieldList(d.fields)}` : "");
      break;
    case "workflow":
      parts.push(d.mode === "orchestrated" ? `Steps: ${d.steps.map((s) => `\`${s.name}\``).join(" → ") || "none"}` : `${d.reactions.length} rules`);
      break;
    case "service":
      break;
  }
  const relations = relationsOf(d, model);
  if (relations.length > 0) parts.push(relations.map((r) => `- ${r}`).join("\n"));
  return parts.filter((p) => p !== "").join("\n\n");
}

function headerOf(d: DeclarationModel): string {
  if (d.kind === "event") return `event ${d.qualifiedName} v${d.current.version}`;
  if (d.kind === "workflow") return `workflow ${d.qualifiedName} ${d.mode}`;
  return `${d.kind} ${d.qualifiedName}`;
}

function fieldList(fields: readonly FieldModel[]): string {
  return fields.map((f) => `- \`${fieldLine(f)}\`${f.doc ? ` — ${f.doc}` : ""}`).join("\n");
}

/** `name?: Type = default @min(1) @pii`, as it would be written. */
export function fieldLine(f: FieldModel): string {
  const c = f.constraints;
  const decorators: string[] = [];
  for (const k of ["min", "max", "minLength", "maxLength", "minItems", "maxItems"] as const) if (c[k] !== undefined) decorators.push(`@${k}(${c[k]})`);
  if (c.pattern !== undefined) decorators.push(`@pattern(${JSON.stringify(c.pattern)})`);
  if (f.pii) decorators.push("@pii");
  if (f.deprecated !== undefined) decorators.push(f.deprecated ? `@deprecated(${JSON.stringify(f.deprecated)})` : "@deprecated");
  const def = f.defaultValue ? ` = ${valueText(f.defaultValue)}` : "";
  return `${f.name}${f.optional ? "?" : ""}: ${typeText(f.type)}${def}${decorators.map((x) => ` ${x}`).join("")}`;
}

function versionsOf(e: EventModel): string {
  if (e.versions.length === 1) return `Version: v${e.current.version}`;
  const lines = e.versions.map((v) => {
    if (v === e.current) return `- v${v.version} (current)`;
    const path = v.upcastPath.map((u) => `v${u.from} → v${u.to}${planText(u)}`).join(", ");
    return `- v${v.version}: ${v.fields.length} fields${path ? `; read as current by upcast ${path}` : "; **no upcast path to the current version**"}`;
  });
  return `Versions:\n${lines.join("\n")}`;
}

function planText(u: UpcastModel): string {
  const rules = u.plan.filter((p) => p.kind !== "carry" && p.kind !== "unset" && p.kind !== "fieldDefault");
  if (rules.length === 0) return "";
  const text = rules.map((p) => (p.kind === "default" ? `${p.field} = ${valueText(p.value)}` : p.kind === "rename" ? `${p.field} = from ${p.from}` : `${p.field} = compute`));
  return ` (${text.join(", ")})`;
}
