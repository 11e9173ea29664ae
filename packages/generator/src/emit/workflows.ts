/**
 * `<context>/workflows.ts`: per orchestrated workflow a typed `OrchestratedWorkflow` definition,
 * narrowed to the workflow's own events and commands; per choreographed workflow a typed
 * `ChoreographedWorkflow` with one rule per reaction. Fields come from the mappings; `compute`
 * fields come from a hooks interface the user supplies (`define<Workflow>(hooks)`).
 */
import type { ContextModel, EventModel, Model, ReactionModel, SendModel, StepModel, WorkflowModel } from "@eda/language";
import { docComment, identifier, jsonLiteral, stringLiteral } from "../escape.js";
import { hardline, indent, type Doc } from "../print/doc.js";
import { printDoc } from "../print/printer.js";
import { array, arrow, assign, call, member, object, property } from "../print/ts.js";
import { interfaceDecl, objectType, signature, text, type Param } from "../print/ts-types.js";
import { accessOf } from "./behaviour.js";
import type { GenModel, GenWorkflow, WorkflowNames } from "../lower/gen-model.js";
import { genIndex, type GenIndex } from "../lower/lookup.js";
import { block, moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";
import type { WorkflowSections } from "../render/view-data.js";
import { builderDoc, genericAlias, hookGroup, hookMethods, TypeNames, unionAlias, type SendSite } from "./workflow-sends.js";

/** A complete step (the checker reports the others; a model with errors is not generated). */
type FullStep = StepModel & { readonly send: SendModel; readonly await: EventModel };
/** A reaction with its command. */
type FullReaction = ReactionModel & { readonly send: SendModel };

function steps(w: WorkflowModel): FullStep[] {
  return w.steps.filter((s): s is FullStep => s.send !== undefined && s.await !== undefined);
}

function reactions(w: WorkflowModel): FullReaction[] {
  return w.reactions.filter((r): r is FullReaction => r.send !== undefined);
}

/** Builds `<context>/workflows.ts` for every context with workflows. */
export function emitWorkflows(gen: GenModel, model: Model): FileView[] {
  const index = genIndex(gen);
  return model.contexts.filter((c) => c.workflows.length > 0).map((c) => workflowsModule(index, c));
}

function workflowsModule(index: GenIndex, c: ContextModel): FileView {
  const cx = index.context(c.name);
  const module = cx.gen.modules.workflows;
  if (!module) throw new Error(`eda bug: no workflows module for ${c.name}`);
  const names = new TypeNames(index, index.branded);
  const workflows = c.workflows.map((w) => {
    const lowered = cx.workflow(w.name);
    return w.mode === "orchestrated" ? orchestratedSections(w, lowered, names) : choreographedSections(w, lowered, names);
  });
  names.checkImports(module);
  return fileView("workflows", module.path, { ...moduleHead(module), workflows }, c.name);
}

function orchestratedSections(w: WorkflowModel, lowered: GenWorkflow, names: TypeNames): WorkflowSections {
  const n = lowered.names;
  const start = w.start;
  if (!start || !w.correlate) throw new Error(`eda bug: workflow ${w.name} has no start or correlation`);
  const all = steps(w);
  const events = [start, ...all.flatMap((s) => [s.await, ...(s.failOn ? [s.failOn] : [])])];
  const commands = [...all.flatMap((s) => [s.send, ...(s.compensate ? [s.compensate] : [])]), ...(w.onComplete ? [w.onComplete] : []), ...(w.onFail ? [w.onFail] : [])];
  const hooked = lowered.hooked;
  const site = (hookPath: string): SendSite => ({ kind: "orchestrated", start, hookPath, branded: names.branded });
  const body = [
    property("name", stringLiteral(w.name), "string"),
    property("start", stringLiteral(start.name), "string"),
    property("correlate", arrow(["data"], correlation(w, events))),
    ...(w.timeoutMs !== undefined ? [property("timeoutMs", jsonLiteral(w.timeoutMs), "number")] : []),
    property("steps", array(all.map((s) => stepDoc(s, site)), all.length > 1)),
    ...(w.onComplete ? [property("onComplete", builderDoc(w.onComplete, site("hooks.onComplete")))] : []),
    ...(w.onFail ? [property("onFail", builderDoc(w.onFail, site("hooks.onFail")))] : []),
  ];
  return {
    name: w.name,
    mode: w.mode,
    orchestrated: true,
    event: unionAlias(n.event, events.map((e) => names.message(e))),
    command: unionAlias(n.command, commands.map((s) => names.message(s.command))),
    step: unionAlias(n.step, all.map((s) => stringLiteral(s.name)), true),
    definitionType: genericAlias(n.definition, "OrchestratedWorkflow", [n.event, n.command, text(stringLiteral(start.name)), n.step]),
    ...(hooked ? { context: genericAlias(n.context, "WorkflowContext", [n.event, text(stringLiteral(start.name))]), hooks: orchestratedHooks(w, all, n, names) } : {}),
    definition: block(definitionLines(w, n, hooked, body)),
  };
}

/** `data.orderId`, or `String(data.x)` when the field is not a string in every event. */
function correlation(w: WorkflowModel, events: readonly EventModel[]): Doc {
  const field = w.correlate?.field as string;
  const stringy = events.every((e) => {
    const f = e.current.fields.find((x) => x.name === field);
    return f !== undefined && !f.optional && f.type.kind === "scalar" && ["string", "uuid", "email", "url"].includes(f.type.name);
  });
  const access = member("data", [accessOf(identifier(field))]);
  return stringy ? access : call("String", [access]);
}

/** An element of an array with its doc comment lines before it. */
function documented(doc: string | undefined, element: Doc): Doc {
  return [...docComment(doc).map((l) => [l, hardline]), element];
}

function stepDoc(s: FullStep, site: (hookPath: string) => SendSite): Doc {
  const hookPath = (group: string): string => `hooks.${group}.${identifier(s.name)}`;
  const retry = s.retry ? [property("retry", object([property("count", jsonLiteral(s.retry.count), "number"), property("everyMs", jsonLiteral(s.retry.everyMs), "number")]))] : [];
  const step = object(
    [
      property("name", stringLiteral(s.name), "string"),
      property("send", builderDoc(s.send, site(hookPath("send")))),
      property("awaits", stringLiteral(s.await.name), "string"),
      ...(s.failOn ? [property("failOn", stringLiteral(s.failOn.name), "string")] : []),
      ...(s.compensate ? [property("compensate", builderDoc(s.compensate, site(hookPath("compensate"))))] : []),
      ...(s.compensate && s.compensateAlways ? [property("compensateOnFailure", "true", "number")] : []),
      ...retry,
    ],
    true,
  );
  return documented(s.doc, step);
}

function orchestratedHooks(w: WorkflowModel, all: readonly FullStep[], n: WorkflowNames, names: TypeNames): string {
  const params = [{ name: "context", type: n.context }];
  const bySteps = (key: "send" | "compensate", what: string) => {
    const inner = all.flatMap((s) => hookGroup(s.name, hookMethods(s[key], params, `${what} \`${s.name}\``, names)));
    return inner.length === 0 ? [] : [{ key, type: objectType(inner) }];
  };
  const members = [
    ...bySteps("send", "sent by step"),
    ...bySteps("compensate", "the compensation of step"),
    ...hookGroup("onComplete", hookMethods(w.onComplete, params, "sent when the run completes", names)),
    ...hookGroup("onFail", hookMethods(w.onFail, params, "sent when the run fails", names)),
  ];
  return printDoc(interfaceDecl(`export interface ${n.hooks}`, [], members));
}

/** `export const x: XWorkflow = { … };`, or `export function defineX(hooks: XHooks): XWorkflow { return { … }; }`. */
function definitionLines(w: WorkflowModel, n: WorkflowNames, hooked: boolean, body: readonly Doc[]): string[] {
  const doc = docComment(w.doc ?? `Workflow \`${w.name}\` (${w.mode}).`, hooked ? ["Pass the hooks that fill its `compute` fields."] : []);
  const definition = object(body, true);
  if (!hooked) return [...doc, printDoc([assign(`export const ${n.constant}: ${n.definition}`, " =", definition), ";"])];
  const head = signature(`export function ${n.define}`, [], [{ name: "hooks", type: n.hooks }], n.definition);
  return [...doc, printDoc([head, indent([hardline, "return ", definition, ";"]), hardline, "}"])];
}

function choreographedSections(w: WorkflowModel, lowered: GenWorkflow, names: TypeNames): WorkflowSections {
  const n = lowered.names;
  const rules = reactions(w);
  const ruleIds = lowered.rules;
  const hooked = lowered.hooked;
  const params = (r: FullReaction): Param[] => [
    { name: "event", type: names.data(r.event) },
    { name: "envelope", type: "StoredEvent" },
  ];
  const hooks = (): string => printDoc(interfaceDecl(`export interface ${n.hooks}`, [], rules.flatMap((r, i) => hookGroup(ruleIds[i] as string, hookMethods(r.send, params(r), `sent on \`${r.event.name}\``, names)))));
  const ruleDocs = rules.map((r, i) => {
    const id = ruleIds[i] as string;
    const site: SendSite = { kind: "rule", trigger: r.event, hookPath: `hooks.${id}`, branded: names.branded };
    const rule = object([property("name", stringLiteral(id), "string"), property("on", stringLiteral(r.event.name), "string"), property("send", builderDoc(r.send, site))], true);
    return documented(r.doc, rule);
  });
  const body = [property("name", stringLiteral(w.name), "string"), property("rules", array(ruleDocs, ruleDocs.length > 1))];
  return {
    name: w.name,
    mode: w.mode,
    orchestrated: false,
    event: unionAlias(n.event, rules.map((r) => names.message(r.event))),
    command: unionAlias(n.command, rules.map((r) => names.message(r.send.command))),
    definitionType: genericAlias(n.definition, "ChoreographedWorkflow", [n.event, n.command]),
    ...(hooked ? { hooks: hooks() } : {}),
    definition: block(definitionLines(w, n, hooked, body)),
  };
}
