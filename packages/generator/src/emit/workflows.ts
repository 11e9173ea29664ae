/**
 * `<context>/workflows.ts`: per orchestrated workflow a typed `OrchestratedWorkflow` definition,
 * narrowed to the workflow's own events and commands; per choreographed workflow a typed
 * `ChoreographedWorkflow` with one rule per reaction. Fields come from the mappings; `compute`
 * fields come from a hooks interface the user supplies (`define<Workflow>(hooks)`).
 */
import type { ContextModel, EventModel, Model, ReactionModel, SendModel, StepModel, WorkflowModel } from "@eda/language";
import { docComment, identifier, jsonLiteral, stringLiteral } from "../escape.js";
import { pad, WIDTH } from "../layout.js";
import type { GenModel, GenWorkflow, WorkflowNames } from "../lower/gen-model.js";
import { genIndex, type GenIndex } from "../lower/lookup.js";
import { block, moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";
import { builderLines, genericAlias, hookGroup, hookMethods, TypeNames, unionAlias, type SendSite } from "./workflow-sends.js";

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
    const sections = w.mode === "orchestrated" ? orchestratedBlocks(w, lowered, names) : choreographedBlocks(w, lowered, names);
    return { name: w.name, mode: w.mode, sections: sections.map(block) };
  });
  names.checkImports(module);
  return fileView("workflows", module.path, { ...moduleHead(module), workflows }, c.name);
}

function orchestratedBlocks(w: WorkflowModel, lowered: GenWorkflow, names: TypeNames): string[][] {
  const n = lowered.names;
  const start = w.start;
  if (!start || !w.correlate) throw new Error(`eda bug: workflow ${w.name} has no start or correlation`);
  const all = steps(w);
  const events = [start, ...all.flatMap((s) => [s.await, ...(s.failOn ? [s.failOn] : [])])];
  const commands = [...all.flatMap((s) => [s.send, ...(s.compensate ? [s.compensate] : [])]), ...(w.onComplete ? [w.onComplete] : []), ...(w.onFail ? [w.onFail] : [])];
  const blocks: string[][] = [
    unionAlias(`The events workflow \`${w.name}\` reads: its start, awaited and \`fail on\` events.`, n.event, events.map((e) => names.message(e))),
    unionAlias(`The commands workflow \`${w.name}\` sends.`, n.command, commands.map((s) => names.message(s.command))),
    unionAlias(`The steps of workflow \`${w.name}\`, in order.`, n.step, all.map((s) => stringLiteral(s.name))),
    genericAlias(`The definition of workflow \`${w.name}\`, as the runtime's orchestrator runs it.`, n.definition, "OrchestratedWorkflow", [n.event, n.command, stringLiteral(start.name), n.step]),
  ];
  const hooked = lowered.hooked;
  if (hooked) {
    blocks.push(
      genericAlias(
        `What the hooks of workflow \`${w.name}\` see: the start event, the events received so far\n(\`awaited\`) and, in compensations and \`on fail\`, the failure.`,
        n.context,
        "WorkflowContext",
        [n.event, stringLiteral(start.name)],
      ),
    );
    blocks.push(orchestratedHooks(w, all, n, names));
  }
  const site = (hookPath: string): SendSite => ({ kind: "orchestrated", start, hookPath, branded: names.branded });
  // Inside `define<Workflow>` the object is one level deeper (`return { … }`).
  const b = hooked ? 2 : 1;
  const body = [
    `${pad(b)}name: ${stringLiteral(w.name)},`,
    `${pad(b)}start: ${stringLiteral(start.name)},`,
    `${pad(b)}correlate: (data) => ${correlation(w, events)},`,
    ...(w.timeoutMs !== undefined ? [`${pad(b)}timeoutMs: ${jsonLiteral(w.timeoutMs)},`] : []),
    `${pad(b)}steps: [`,
    ...all.flatMap((s) => stepLines(b + 1, s, site)),
    `${pad(b)}],`,
    ...(w.onComplete ? builderLines(b, "onComplete: ", w.onComplete, site("hooks.onComplete"), ",") : []),
    ...(w.onFail ? builderLines(b, "onFail: ", w.onFail, site("hooks.onFail"), ",") : []),
  ];
  blocks.push(definitionLines(w, n, hooked, body));
  return blocks;
}

/** `data.orderId`, or `String(data.x)` when the field is not a string in every event. */
function correlation(w: WorkflowModel, events: readonly EventModel[]): string {
  const field = w.correlate?.field as string;
  const stringy = events.every((e) => {
    const f = e.current.fields.find((x) => x.name === field);
    return f !== undefined && !f.optional && f.type.kind === "scalar" && ["string", "uuid", "email", "url"].includes(f.type.name);
  });
  const access = `data.${identifier(field)}`;
  return stringy ? access : `String(${access})`;
}

function stepLines(depth: number, s: FullStep, site: (hookPath: string) => SendSite): string[] {
  const d = depth + 1;
  const hookPath = (group: string): string => `hooks.${group}.${identifier(s.name)}`;
  return [
    ...docComment(s.doc).map((l) => pad(depth) + l),
    `${pad(depth)}{`,
    `${pad(d)}name: ${stringLiteral(s.name)},`,
    ...builderLines(d, "send: ", s.send, site(hookPath("send")), ","),
    `${pad(d)}awaits: ${stringLiteral(s.await.name)},`,
    ...(s.failOn ? [`${pad(d)}failOn: ${stringLiteral(s.failOn.name)},`] : []),
    ...(s.compensate ? builderLines(d, "compensate: ", s.compensate, site(hookPath("compensate")), ",") : []),
    ...(s.compensate && s.compensateAlways ? [`${pad(d)}compensateOnFailure: true,`] : []),
    ...(s.retry ? [`${pad(d)}retry: { count: ${jsonLiteral(s.retry.count)}, everyMs: ${jsonLiteral(s.retry.everyMs)} },`] : []),
    `${pad(depth)}},`,
  ];
}

function orchestratedHooks(w: WorkflowModel, all: readonly FullStep[], n: WorkflowNames, names: TypeNames): string[] {
  const params = [`context: ${n.context}`];
  const bySteps = (key: "send" | "compensate", what: string): string[] => {
    const inner = all.flatMap((s) => hookGroup(2, s.name, hookMethods(s[key], params, `${what} \`${s.name}\``, names)));
    return inner.length === 0 ? [] : [`${pad(1)}readonly ${key}: {`, ...inner, `${pad(1)}};`];
  };
  return [
    ...docComment(`The fields of workflow \`${w.name}\`'s commands that the model leaves to code\n(\`field = compute\`).`, [
      "Each hook receives the run's context and returns the field's value. Leaving one out is a",
      "compile error.",
    ]),
    `export interface ${n.hooks} {`,
    ...bySteps("send", "sent by step"),
    ...bySteps("compensate", "the compensation of step"),
    ...hookGroup(1, "onComplete", hookMethods(w.onComplete, params, "sent when the run completes", names)),
    ...hookGroup(1, "onFail", hookMethods(w.onFail, params, "sent when the run fails", names)),
    "}",
  ];
}

/** `export const x: XWorkflow = { … };`, or `export function defineX(hooks: XHooks): XWorkflow { return { … }; }`. */
function definitionLines(w: WorkflowModel, n: WorkflowNames, hooked: boolean, body: readonly string[]): string[] {
  const doc = docComment(w.doc ?? `Workflow \`${w.name}\` (${w.mode}).`, hooked ? ["Pass the hooks that fill its `compute` fields."] : []);
  if (!hooked) return [...doc, `export const ${n.constant}: ${n.definition} = {`, ...body, "};"];
  const sig = `export function ${n.define}(hooks: ${n.hooks}): ${n.definition} {`;
  return [
    ...doc,
    ...(sig.length <= WIDTH ? [sig] : [`export function ${n.define}(`, `${pad(1)}hooks: ${n.hooks},`, `): ${n.definition} {`]),
    `${pad(1)}return {`,
    ...body,
    `${pad(1)}};`,
    "}",
  ];
}

function choreographedBlocks(w: WorkflowModel, lowered: GenWorkflow, names: TypeNames): string[][] {
  const n = lowered.names;
  const rules = reactions(w);
  const ruleIds = lowered.rules;
  const blocks: string[][] = [
    unionAlias(`The events workflow \`${w.name}\` reacts to.`, n.event, rules.map((r) => names.message(r.event))),
    unionAlias(`The commands workflow \`${w.name}\` sends.`, n.command, rules.map((r) => names.message(r.send.command))),
    genericAlias(`The definition of workflow \`${w.name}\`, as the runtime's choreography runs it.`, n.definition, "ChoreographedWorkflow", [n.event, n.command]),
  ];
  const hooked = lowered.hooked;
  if (hooked) {
    blocks.push([
      ...docComment(`The fields of workflow \`${w.name}\`'s commands that the model leaves to code\n(\`field = compute\`).`, [
        "Each hook receives the triggering event and its envelope and returns the field's value.",
        "Leaving one out is a compile error.",
      ]),
      `export interface ${n.hooks} {`,
      ...rules.flatMap((r, i) => hookGroup(1, ruleIds[i] as string, hookMethods(r.send, [`event: ${names.data(r.event)}`, "envelope: StoredEvent"], `sent on \`${r.event.name}\``, names))),
      "}",
    ]);
  }
  const b = hooked ? 2 : 1;
  const body = [
    `${pad(b)}name: ${stringLiteral(w.name)},`,
    `${pad(b)}rules: [`,
    ...rules.flatMap((r, i) => {
      const id = ruleIds[i] as string;
      const site: SendSite = { kind: "rule", trigger: r.event, hookPath: `hooks.${id}`, branded: names.branded };
      return [
        ...docComment(r.doc).map((l) => pad(b + 1) + l),
        `${pad(b + 1)}{`,
        `${pad(b + 2)}name: ${stringLiteral(id)},`,
        `${pad(b + 2)}on: ${stringLiteral(r.event.name)},`,
        ...builderLines(b + 2, "send: ", r.send, site, ","),
        `${pad(b + 1)}},`,
      ];
    }),
    `${pad(b)}],`,
  ];
  blocks.push(definitionLines(w, n, hooked, body));
  return blocks;
}
