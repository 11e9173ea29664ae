/**
 * Checks a workflow definition when a runner is created. The model checker rules these out for
 * generated definitions, so a failure here is a bug in a hand-written one: it throws.
 */
import type { Message, OrchestratedStep } from "./definition.js";
import type { AnyOrchestratedWorkflow } from "./machine.js";

/** Thrown for a definition the runtime cannot run. */
export class InvalidWorkflowError extends Error {
  override readonly name = "InvalidWorkflowError";
  constructor(
    readonly workflow: string,
    problem: string,
  ) {
    super(`workflow ${workflow}: ${problem}`);
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Throws `InvalidWorkflowError` for duplicate step names, bad retries or timeouts, and ambiguous event types. */
export function validateOrchestrated(def: AnyOrchestratedWorkflow): void {
  const fail = (problem: string): never => {
    throw new InvalidWorkflowError(String(def.name), problem);
  };
  if (typeof def.name !== "string" || !NAME.test(def.name)) fail(`the name must be an identifier (it is part of command ids)`);
  if (def.timeoutMs !== undefined && !(def.timeoutMs > 0)) fail(`timeoutMs must be positive, got ${def.timeoutMs}`);
  const steps = def.steps as readonly OrchestratedStep<Message, Message>[];
  const names = new Set<string>();
  for (const step of steps) {
    if (!NAME.test(step.name)) fail(`step name "${step.name}" must be an identifier (it is part of command ids)`);
    if (names.has(step.name)) fail(`two steps are named "${step.name}"`);
    names.add(step.name);
    if (step.awaits === def.start || step.failOn === def.start) {
      fail(`step ${step.name} waits for the start event ${def.start}; a start event cannot also move a run`);
    }
    if (step.failOn !== undefined && step.failOn === step.awaits) fail(`step ${step.name} awaits and fails on the same event`);
    const retry = step.retry;
    if (retry !== undefined && (!Number.isInteger(retry.count) || retry.count < 0 || !(retry.everyMs > 0))) {
      fail(`step ${step.name}: retry needs a whole count ≥ 0 and a positive everyMs`);
    }
  }
}

/** Throws `InvalidWorkflowError` when two rules share a name (their consumers and command ids would collide). */
export function validateChoreography(workflow: string, rules: readonly { readonly name: string }[]): void {
  if (!NAME.test(workflow)) throw new InvalidWorkflowError(workflow, "the name must be an identifier");
  const names = new Set<string>();
  for (const rule of rules) {
    if (!NAME.test(rule.name)) throw new InvalidWorkflowError(workflow, `rule name "${rule.name}" must be an identifier`);
    if (names.has(rule.name)) throw new InvalidWorkflowError(workflow, `two rules are named "${rule.name}"`);
    names.add(rule.name);
  }
}
