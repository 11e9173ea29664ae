/**
 * `<context>/workflows.ts`: per orchestrated workflow a typed `OrchestratedWorkflow` definition,
 * narrowed to the workflow's own events and commands; per choreographed workflow a typed
 * `ChoreographedWorkflow` with one rule per reaction. Fields come from the mappings; `compute`
 * fields come from a hooks interface the user supplies (`define<Workflow>(hooks)`).
 */
import type { ContextModel, EventModel, Model, ReactionModel, SendModel, StepModel, WorkflowModel } from "@eda/language";
import { docComment, identifier, jsonLiteral, propertyKey, stringLiteral } from "../escape.js";
import type { GeneratedFile } from "../generated-file.js";
import { pad, WIDTH } from "../layout.js";
import { camel, contextDir, header, pascal } from "../names.js";
import { renderModule } from "../templates.js";
import { schemasAlias } from "./schemas.js";
import { builderLines, genericAlias, hookGroup, hookMethods, TypeNames, unionAlias, type SendSite } from "./workflow-sends.js";

/** The names a workflow's module exports. */
export interface WorkflowNames {
  readonly event: string;
  readonly command: string;
  readonly step: string;
  readonly context: string;
  readonly definition: string;
  readonly hooks: string;
  readonly define: string;
  readonly constant: string;
}

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

/** The export names of every workflow of a context, fresh within its module. */
export function workflowNames(c: ContextModel): Map<string, WorkflowNames> {
  const taken = new Set<string>();
  const fresh = (wanted: string): string => {
    let name = wanted;
    while (taken.has(name)) name += "_";
    taken.add(name);
    return identifier(name);
  };
  const out = new Map<string, WorkflowNames>();
  for (const w of c.workflows) {
    out.set(w.name, {
      event: fresh(`${w.name}Event`),
      command: fresh(`${w.name}Command`),
      step: fresh(`${w.name}Step`),
      context: fresh(`${w.name}Context`),
      definition: fresh(`${w.name}Workflow`),
      hooks: fresh(`${w.name}Hooks`),
      define: fresh(`define${w.name}`),
      constant: fresh(camel(w.name)),
    });
  }
  return out;
}

/** Whether a workflow has `compute` fields, so its definition needs the user's hooks. */
export function workflowHasHooks(w: WorkflowModel): boolean {
  const sends = w.mode === "orchestrated" ? [...w.steps.flatMap((s) => [s.send, s.compensate]), w.onComplete, w.onFail] : w.reactions.map((r) => r.send);
  return sends.some((s) => s?.fields.some((f) => f.source.kind === "hook") ?? false);
}

/**
 * The stable name of each rule of a choreography: `on<Event>Send<Command>`, with a number
 * appended when two rules would share one.
 */
export function ruleNames(w: WorkflowModel): string[] {
  const seen = new Map<string, number>();
  return reactions(w).map((r) => {
    const base = `on${pascal(r.event.name)}Send${pascal(r.send.command.name)}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return identifier(n === 1 ? base : `${base}${n}`);
  });
}

/** Builds `<context>/workflows.ts` for every context with workflows. */
export function emitWorkflows(model: Model): GeneratedFile[] {
  return model.contexts.filter((c) => c.workflows.length > 0).map((c) => ({ path: `${contextDir(c.name)}/workflows.ts`, content: workflowsModule(model, c) }));
}

function workflowsModule(model: Model, c: ContextModel): string {
  const names = new TypeNames(model);
  const all = workflowNames(c);
  const blocks: string[][] = [];
  const runtime = new Set<string>();
  for (const w of c.workflows) {
    const n = all.get(w.name) as WorkflowNames;
    if (w.mode === "orchestrated") blocks.push(...orchestratedBlocks(w, n, names, runtime));
    else blocks.push(...choreographedBlocks(w, n, names, runtime));
  }
  const runtimeImport = `import type { ${[...runtime].sort().join(", ")} } from "@eda/runtime";`;
  const imports = [
    ...(runtimeImport.length <= WIDTH ? [runtimeImport] : ["import type {", ...[...runtime].sort().map((r) => `  ${r},`), '} from "@eda/runtime";']),
    ...[...names.imported].sort().map((ctx) => `import type * as ${schemasAlias(ctx)} from "${ctx === c.name ? "." : `../${contextDir(ctx)}`}/schemas.js";`),
  ];
  return renderModule({ header: header(c.workflows.map((w) => w.span.file)), imports, blocks });
}

function orchestratedBlocks(w: WorkflowModel, n: WorkflowNames, names: TypeNames, runtime: Set<string>): string[][] {
  const start = w.start;
  if (!start || !w.correlate) throw new Error(`eda bug: workflow ${w.name} has no start or correlation`);
  const all = steps(w);
  const events = [start, ...all.flatMap((s) => [s.await, ...(s.failOn ? [s.failOn] : [])])];
  const commands = [...all.flatMap((s) => [s.send, ...(s.compensate ? [s.compensate] : [])]), ...(w.onComplete ? [w.onComplete] : []), ...(w.onFail ? [w.onFail] : [])];
  runtime.add("OrchestratedWorkflow");
  const blocks: string[][] = [
    unionAlias(`The events workflow \`${w.name}\` reads: its start, awaited and \`fail on\` events.`, n.event, events.map((e) => names.message(e))),
    unionAlias(`The commands workflow \`${w.name}\` sends.`, n.command, commands.map((s) => names.message(s.command))),
    unionAlias(`The steps of workflow \`${w.name}\`, in order.`, n.step, all.map((s) => stringLiteral(s.name))),
    genericAlias(`The definition of workflow \`${w.name}\`, as the runtime's orchestrator runs it.`, n.definition, "OrchestratedWorkflow", [n.event, n.command, stringLiteral(start.name), n.step]),
  ];
  const hooked = workflowHasHooks(w);
  if (hooked) {
    runtime.add("WorkflowContext");
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
  const site = (hookPath: string): SendSite => ({ kind: "orchestrated", start, hookPath });
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

function choreographedBlocks(w: WorkflowModel, n: WorkflowNames, names: TypeNames, runtime: Set<string>): string[][] {
  const rules = reactions(w);
  const ruleIds = ruleNames(w);
  runtime.add("ChoreographedWorkflow");
  const blocks: string[][] = [
    unionAlias(`The events workflow \`${w.name}\` reacts to.`, n.event, rules.map((r) => names.message(r.event))),
    unionAlias(`The commands workflow \`${w.name}\` sends.`, n.command, rules.map((r) => names.message(r.send.command))),
    genericAlias(`The definition of workflow \`${w.name}\`, as the runtime's choreography runs it.`, n.definition, "ChoreographedWorkflow", [n.event, n.command]),
  ];
  const hooked = workflowHasHooks(w);
  if (hooked) {
    runtime.add("StoredEvent");
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
      const site: SendSite = { kind: "rule", trigger: r.event, hookPath: `hooks.${id}` };
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

/** For callers that list a workflow's value: the constant, or `defineX(hooksExpr)`. */
export function definitionExpr(w: WorkflowModel, n: WorkflowNames, namespace: string, hooksExpr: string): string {
  return workflowHasHooks(w) ? `${namespace}.${n.define}(${hooksExpr})` : `${namespace}.${n.constant}`;
}

/** The property key of a workflow in the `Implementation` of its context. */
export function workflowKey(w: WorkflowModel): string {
  return propertyKey(w.name);
}
