/** Naming conventions and the pitfalls visible in names. All warnings. */
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { CommandModel, DeclarationModel, FieldModel, Model, SendModel } from "../resolve/model.js";
import { fieldLists } from "./walk.js";

const PASCAL = /^[A-Z][A-Za-z0-9]*$/;
const CAMEL = /^[a-z][A-Za-z0-9]*$/;
const IRREGULAR_PARTICIPLES = new Set(
  ("Sent Paid Built Made Held Sold Bought Done Given Taken Written Chosen Won Lost Kept Left Met Run Begun Drawn Known Shown Spent Split Set Reset " +
    "Put Cut Quit Hit Read Bound Found Dealt Brought Caught Taught Thought Sought Fought Frozen Hidden Stolen Broken Spoken Forgotten Withdrawn " +
    "Overdrawn Undone Upheld Withheld Overpaid Underpaid Prepaid Resent Rebuilt Remade Resold Rewritten Mislaid Laid Led Fed Shut Sunk Torn Worn Sworn Born Grown Thrown Blown Flown Gone Seen Eaten Fallen Driven Ridden Risen Forgiven Hung Spun Struck Stuck Swept Wound Woken Lent Rung Sung Slept").split(" "),
);
const NOT_PAST = new Set("Feed Seed Need Embed Speed Breed Bleed Proceed Succeed Exceed Shred Bed Red Shed Wed Weed Deed Greed Heed Reed Steed".split(" "));
const PARTICLES = new Set("In Out Up Down Off On Back Over Away Through".split(" "));
const QUERY_VERBS = new Set("Get Fetch Find List Query Load Read Search Lookup Retrieve Show View Count Browse".split(" "));

function words(name: string): string[] {
  return name.match(/[A-Z][a-z0-9]*|[a-z][a-z0-9]*/g) ?? [name];
}

function looksPast(word: string): boolean {
  if (IRREGULAR_PARTICIPLES.has(word)) return true;
  return word.length > 3 && word.endsWith("ed") && !NOT_PAST.has(word);
}

export function checkConventions(model: Model, out: Diagnostic[]): void {
  for (const c of model.contexts) {
    const decls: DeclarationModel[] = [...c.types, ...c.enums, ...c.commands, ...c.events, ...c.aggregates, ...c.services, ...c.projections, ...c.workflows];
    for (const d of decls) {
      if (!PASCAL.test(d.name)) out.push(diagnostic("EDA6004", d.nameSpan, `\`${d.name}\` should be PascalCase.`, { hint: `Write \`${toPascal(d.name)}\`.` }));
    }
    for (const e of c.enums) for (const m of e.members) if (!PASCAL.test(m.name)) out.push(diagnostic("EDA6004", m.span, `The enum member \`${m.name}\` should be PascalCase.`, { hint: `Write \`${toPascal(m.name)}\`.` }));
    for (const { fields } of fieldLists(c)) for (const f of fields) checkFieldName(f, out);
    for (const command of c.commands) checkCommandName(command, out);
    for (const ev of c.events) {
      const ws = words(ev.name);
      // A phrasal verb ends in its particle: `GuestCheckedIn`, `ParcelPickedUp`.
      if (ws.length > 1 && PARTICLES.has(ws[ws.length - 1] as string)) ws.pop();
      const last = ws.pop() ?? ev.name;
      if (!looksPast(last)) {
        out.push(diagnostic("EDA6002", ev.nameSpan, `Events record what happened, so \`${ev.name}\` should end in a past participle.`, { hint: "Name it after the fact, in the past tense: `OrderPlaced`, `PaymentCaptured`, `InvoiceSent`." }));
      }
    }
    for (const wf of c.workflows) {
      for (const s of wf.steps) {
        if (!CAMEL.test(s.name)) out.push(diagnostic("EDA6005", s.nameSpan, `The step name \`${s.name}\` should be camelCase.`, { hint: `Write \`${toCamel(s.name)}\`.` }));
        for (const send of [s.send, s.compensate]) if (send) checkDeprecatedWrites(send, out);
      }
      for (const send of [wf.onComplete, wf.onFail, ...wf.reactions.map((r) => r.send)]) if (send) checkDeprecatedWrites(send, out);
    }
  }
}

function checkFieldName(f: FieldModel, out: Diagnostic[]): void {
  if (CAMEL.test(f.name)) return;
  out.push(diagnostic("EDA6005", { ...f.span, end: f.span.start + f.name.length }, `The field name \`${f.name}\` should be camelCase.`, { hint: `Write \`${toCamel(f.name)}\`.` }));
}

function checkCommandName(command: CommandModel, out: Diagnostic[]): void {
  const ws = words(command.name);
  const first = ws[0] ?? "";
  if (QUERY_VERBS.has(first) && ws.length > 1) {
    out.push(diagnostic("EDA6003", command.nameSpan, `\`${command.name}\` reads like a query. Commands change state; a query through the command path gains nothing and costs a round trip.`, { hint: "Read from a projection or call the service directly instead." }));
    return;
  }
  const last = ws[ws.length - 1] ?? "";
  if (looksPast(last)) {
    out.push(diagnostic("EDA6001", command.nameSpan, `\`${command.name}\` sounds like something that already happened; commands are requests, named imperatively.`, { hint: "Name it verb first, like `PlaceOrder`; if it is a fact, declare it as an event." }));
  }
}

function checkDeprecatedWrites(send: SendModel, out: Diagnostic[]): void {
  for (const entry of send.fields) {
    const field = send.command.fields.find((f) => f.name === entry.field);
    if (field?.deprecated === undefined || entry.source.kind === "unset") continue;
    out.push(
      diagnostic("EDA6006", entry.span ?? send.span, `\`${send.command.name}.${field.name}\` is deprecated${field.deprecated ? `: ${field.deprecated}` : ""}, but this workflow still writes it.`, {
        labels: [{ span: field.span, message: "deprecated here" }],
        hint: "Stop filling it, or remove `@deprecated`.",
      }),
    );
  }
}

function toPascal(s: string): string {
  return s.replace(/(^|_+)([a-zA-Z0-9])/g, (_, __, ch: string) => ch.toUpperCase());
}

function toCamel(s: string): string {
  const p = toPascal(s);
  return p.charAt(0).toLowerCase() + p.slice(1);
}
