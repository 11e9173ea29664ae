/**
 * "Make this change a new version": on a stored event version edited in place (EDA7001–EDA7007,
 * the project compared with its config's `evolution.against`), restores the baseline's
 * declaration of that version and declares the edited shape as the next version, with an upcast
 * skeleton from the stored one. Offered for the current version only: an older version edited in
 * place has no single next version to become.
 */
import type { CodeAction } from "vscode-languageserver";
import type { ActionContext } from "./action-context.js";

/** The codes of a stored version's declaration edited in place. */
const EDITED_IN_PLACE = new Set(["EDA7001", "EDA7002", "EDA7003", "EDA7004", "EDA7005", "EDA7006", "EDA7007"]);

export function newStoredVersionAction(c: ActionContext): CodeAction[] {
  const baseline = c.f.snapshot.baseline;
  if (baseline === undefined) return [];
  const out: CodeAction[] = [];
  const done = new Set<string>();
  for (const d of c.diagnostics) {
    if (!EDITED_IN_PLACE.has(d.code)) continue;
    const event = c.model.contexts.flatMap((ctx) => ctx.events).find((e) => e.current.span.file === d.span.file && e.current.span.start <= d.span.start && d.span.end <= e.current.span.end);
    if (event === undefined || done.has(event.name)) continue;
    const version = event.current;
    const stored = baseline.model.contexts.flatMap((ctx) => ctx.events).find((e) => e.name === event.name)?.versions.find((v) => v.version === version.version);
    const storedText = stored === undefined ? undefined : baseline.texts.get(stored.span.file)?.slice(stored.span.start, stored.span.end);
    const text = c.f.snapshot.texts.get(version.span.file);
    if (stored === undefined || storedText === undefined || text === undefined) continue;
    done.add(event.name);
    const next = version.version + 1;
    const edited = `event ${event.name} v${next}${text.slice(version.headerSpan.end, version.span.end)}`;
    const upcast = `upcast ${event.name} v${version.version} -> v${next} {\n}`;
    const replacement = `${storedText}\n\n${edited}\n\n${upcast}`;
    out.push(c.action(`Make this change a new version (\`${event.name} v${next}\`, with an upcast from v${version.version})`, [c.edit(version.span.file, version.span.start, version.span.end, replacement)], d));
  }
  return out;
}
