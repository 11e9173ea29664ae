/** The accounts of the bank transfer saga: a variant state and exact decimal balances. */
import { add, compare, sub } from "@eda/runtime/decimal";
import { defineAccount } from "./generated/banking/aggregates.js";
import { reject } from "./generated/decisions.js";

export const account = defineAccount({
  decide: {
    OpenAccount: (command, state) => (state.status === "Unopened" ? [{ type: "AccountOpened", data: command }] : reject({ code: "already-open" })),
    // A refusal is an event, not a rejection: the transfer saga waits for it (`fail on`).
    Withdraw: (command, state) =>
      state.status === "Open" && compare(state.balance, command.amount) >= 0
        ? [{ type: "MoneyWithdrawn", data: command }]
        : [{ type: "WithdrawalRefused", data: { accountId: command.accountId, transferId: command.transferId } }],
    Deposit: (command, state) => (state.status === "Open" ? [{ type: "MoneyDeposited", data: command }] : [{ type: "DepositRefused", data: { accountId: command.accountId, transferId: command.transferId } }]),
    RefundMoney: (command, state) => (state.status === "Open" ? [{ type: "MoneyRefunded", data: command }] : reject({ code: "not-open" })),
  },
  evolve: {
    AccountOpened: (_state, event) => ({ status: "Open", owner: event.owner, balance: "0" }),
    MoneyWithdrawn: (state, event) => (state.status === "Open" ? { ...state, balance: sub(state.balance, event.amount) } : state),
    WithdrawalRefused: (state) => state,
    MoneyDeposited: (state, event) => (state.status === "Open" ? { ...state, balance: add(state.balance, event.amount) } : state),
    DepositRefused: (state) => state,
    MoneyRefunded: (state, event) => (state.status === "Open" ? { ...state, balance: add(state.balance, event.amount) } : state),
  },
});
