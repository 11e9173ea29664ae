/**
 * Every benchmark suite, in the order `pnpm bench` runs them. To add one, write a module that
 * exports a `Suite` (see `bench/run.mjs`) and list it here; `pnpm bench <id> …` runs a subset.
 */
import { busSuite } from "./bus.mjs";
import { checkMemory } from "./check-memory.mjs";
import { checkThroughput } from "./check-throughput.mjs";
import { coldCheck } from "./cold-check.mjs";
import { cryptoSuite } from "./crypto.mjs";
import { evolutionSuite } from "./evolution.mjs";
import { decimalSuite } from "./decimal.mjs";
import { generateSuite } from "./generate.mjs";
import { lspSuite } from "./lsp.mjs";
import { runtimeApp, runtimeOperations, runtimeStore } from "./runtime-store.mjs";
import { scaleoutSuite } from "./scaleout.mjs";
import { typecheckSuite } from "./typecheck.mjs";

/** @type {import("../run.mjs").Suite[]} */
export const SUITES = [checkThroughput, coldCheck, checkMemory, evolutionSuite, generateSuite, typecheckSuite, lspSuite, runtimeStore, runtimeApp, runtimeOperations, cryptoSuite, busSuite, scaleoutSuite, decimalSuite];
