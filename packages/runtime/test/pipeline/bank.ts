/**
 * A small hand-written domain in the shape the generator emits: a decider for bank accounts and
 * a codec that upcasts `AccountOpened` v1 (no currency) to v2.
 */
import { reject } from "../../src/pipeline/command-types.js";
import type { Decider, EventCodec } from "../../src/types.js";
import { acceptAll } from "../support/codec.js";

export type BankCommand =
  | { readonly type: "OpenAccount"; readonly accountId: string; readonly owner: string }
  | { readonly type: "Deposit"; readonly accountId: string; readonly amount: number }
  | { readonly type: "Withdraw"; readonly accountId: string; readonly amount: number };

export type BankEvent =
  | { readonly type: "AccountOpened"; readonly accountId: string; readonly owner: string; readonly currency: string }
  | { readonly type: "Deposited"; readonly accountId: string; readonly amount: number }
  | { readonly type: "Withdrawn"; readonly accountId: string; readonly amount: number };

export interface BankState {
  readonly open: boolean;
  readonly balance: number;
  readonly currency: string | null;
  readonly applied: number;
}

export type BankRejection = "already-open" | "not-open" | "insufficient-funds";

/** The account decider; `snapshotEvery` can be overridden per test. */
export function bankDecider(
  overrides: Partial<Pick<Decider<BankCommand, BankEvent, BankState, BankRejection>, "snapshotEvery" | "snapshotTag">> = {},
): Decider<BankCommand, BankEvent, BankState, BankRejection> {
  return {
    name: "Account",
    initialState: { open: false, balance: 0, currency: null, applied: 0 },
    streamOf: (command) => `Account-${command.accountId}`,
    decide(command, state) {
      switch (command.type) {
        case "OpenAccount":
          if (state.open) return reject("already-open");
          return [{ type: "AccountOpened", accountId: command.accountId, owner: command.owner, currency: "EUR" }];
        case "Deposit":
          if (!state.open) return reject("not-open");
          return [{ type: "Deposited", accountId: command.accountId, amount: command.amount }];
        case "Withdraw":
          if (state.balance < command.amount) return reject("insufficient-funds");
          return [{ type: "Withdrawn", accountId: command.accountId, amount: command.amount }];
      }
    },
    evolve(state, event) {
      const applied = state.applied + 1;
      switch (event.type) {
        case "AccountOpened":
          return { ...state, open: true, currency: event.currency, applied };
        case "Deposited":
          return { ...state, balance: state.balance + event.amount, applied };
        case "Withdrawn":
          return { ...state, balance: state.balance - event.amount, applied };
      }
    },
    ...overrides,
  };
}

/** The codec, counting `deserialize` calls so tests can see how much was replayed. */
export function bankCodec(): EventCodec<BankEvent> & { calls: number } {
  const codec = {
    calls: 0,
    deserialize(stored: { readonly type: string; readonly version: number; readonly payload: unknown }): BankEvent {
      codec.calls += 1;
      const payload = stored.payload as Record<string, unknown>;
      if (stored.type === "AccountOpened" && stored.version === 1) {
        return { type: "AccountOpened", ...payload, currency: "USD" } as BankEvent;
      }
      if (!["AccountOpened", "Deposited", "Withdrawn"].includes(stored.type)) {
        throw new Error(`unknown event type ${stored.type}`);
      }
      return { type: stored.type, ...payload } as BankEvent;
    },
    currentVersion: (type: string) => (type === "AccountOpened" ? 2 : 1),
    redact: (_type: string, _version: number, payload: unknown) => payload,
    ...acceptAll<BankEvent>(),
  };
  return codec;
}
