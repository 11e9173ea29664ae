/**
 * Sends the commands the instances queued, through the application's `CommandSender`, and
 * records each outcome — with the transition it causes — in one transaction. A command is marked
 * `sending` first; a crash after that and before the outcome is recorded leaves it `sending`: it
 * is sent again with the same id, the command pipeline answers with the first outcome without
 * appending anything, and the transition happens once. Commands of one instance go out in order; an instance whose send
 * failed waits for the next pass while the others go on.
 *
 * With `claims` (several app instances on one store), a command is sent only by the app instance
 * that claims its workflow instance: the claim is taken (or renewed) in the transaction that marks
 * the command `sending` and given up in the one that records its outcome, so no two app instances
 * run one workflow instance at once; a claim whose holder died expires after `ttlMs` and the
 * command, still `sending`, is sent again (with its id) by whoever claims the instance next.
 */
import type { CommandOutcome } from "../pipeline/command-types.js";
import { CALLER_KEY, ON_BEHALF_OF_KEY, workflowPrincipal } from "../pipeline/context.js";
import type { EventStore } from "../store/event-store.js";
import type { CommandMeta, CommandSender, Message } from "./definition.js";
import { commitTransition, type Notice } from "./intake.js";
import { onOutcome, type AnyOrchestratedWorkflow } from "./machine.js";
import type { QueuedCommand } from "./records.js";
import { workflowTables } from "./tables.js";

/** Where a pass reports each command as it goes, so hooks see a transition right after its commit. */
export interface DispatchListener {
  dispatched(command: QueuedCommand, outcome: CommandOutcome, notice: Notice | null): void;
  /** A send (or outcome record) threw; the command stays pending. */
  failed(command: QueuedCommand, error: unknown): void;
}

/** What a dispatch pass did. */
export interface DispatchReport {
  /** Commands sent and recorded. */
  readonly sent: number;
  /** Sends that threw. */
  readonly failed: number;
}

/** The envelope fields a queued command is sent with. */
export function metaOf(command: QueuedCommand): CommandMeta {
  return {
    messageId: command.commandId,
    correlationId: command.correlationId,
    causationId: command.causationId,
    // The orchestrator acts as itself, on behalf of whoever caused the run's start event.
    metadata: {
      workflow: command.workflow,
      correlation: command.correlation,
      [CALLER_KEY]: workflowPrincipal(command.workflow),
      ...(command.onBehalfOf === null ? {} : { [ON_BEHALF_OF_KEY]: command.onBehalfOf }),
    },
  };
}

/** Claims of workflow instances by one app instance. */
export interface ClaimOptions {
  /** The app instance's name in the claims. */
  readonly holder: string;
  /** How long a claim lasts without renewal, in ms: the bound on moving an instance whose holder died. */
  readonly ttlMs: number;
  /** The time, in ms since the epoch. */
  readonly now: () => number;
}

/** Dispatches the pending commands of one workflow. */
export class Dispatcher {
  constructor(
    private readonly store: EventStore,
    private readonly def: AnyOrchestratedWorkflow,
    private readonly send: CommandSender<Message>,
    private readonly clock: () => Date,
    private readonly batchSize: number,
    private readonly claims?: ClaimOptions,
  ) {}

  /** Sends pending commands (including those the outcomes queue) until none is ready. */
  async pass(listener: DispatchListener): Promise<DispatchReport> {
    let sent = 0;
    const blocked = new Set<string>();
    const tried = new Set<string>();
    for (;;) {
      const filter = this.claims === undefined ? undefined : { holder: this.claims.holder, nowMs: this.claims.now() };
      const pending = await this.store.transaction((tx) => workflowTables(tx).pending(this.def.name, this.batchSize, filter));
      const ready = pending.filter((c) => !blocked.has(c.correlation) && !tried.has(c.commandId));
      if (ready.length === 0) return { sent, failed: blocked.size };
      for (const command of ready) {
        if (blocked.has(command.correlation)) continue;
        tried.add(command.commandId);
        try {
          if (!(await this.claim(command))) continue;
          const outcome = await this.send(command.command, metaOf(command));
          const notice = await this.record(command, outcome);
          sent += 1;
          listener.dispatched(command, outcome, notice);
        } catch (error) {
          // Keep the instance's order: its later commands wait for this one.
          blocked.add(command.correlation);
          listener.failed(command, error);
        }
      }
    }
  }

  /**
   * Marks the command `sending` before the sender sees it; false if a transition cancelled it
   * meanwhile or another app instance claims its workflow instance.
   */
  private claim(command: QueuedCommand): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const tables = workflowTables(tx);
      const claims = this.claims;
      if (claims !== undefined) {
        const now = claims.now();
        if (!(await tables.claimInstance(this.def.name, command.correlation, claims.holder, now, now + claims.ttlMs))) return false;
      }
      return tables.claim(command.commandId);
    });
  }

  /** Marks the command dispatched and applies its outcome to the instance, atomically. */
  private async record(command: QueuedCommand, outcome: CommandOutcome): Promise<Notice | null> {
    const now = this.clock();
    return this.store.transaction(async (tx) => {
      const tables = workflowTables(tx);
      // Locks in one order everywhere (claim, instance, commands): the claim is given up first.
      if (this.claims !== undefined) await tables.releaseClaims(this.def.name, this.claims.holder, command.correlation);
      // The instance next: on PostgreSQL its row lock orders this against event transitions.
      const before = await tables.load(this.def.name, command.correlation);
      const current = await tables.command(command.commandId);
      if (current === null || current.status === "dispatched") return null;
      await tables.markDispatched(command.commandId, outcome, now.toISOString());
      if (before === null) return null;
      const sent = { commandId: command.commandId, type: command.command.type };
      const transition = onOutcome(this.def, before, sent, outcome, now);
      if (transition === null) return null;
      const cause = { kind: "outcome", commandId: command.commandId, status: outcome.status } as const;
      return { kind: "transition", transition: await commitTransition(tables, transition, before, cause, now.toISOString()), before, cause };
    });
  }
}
