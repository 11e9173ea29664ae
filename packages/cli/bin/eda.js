#!/usr/bin/env node
// The bundle (built by build.mjs) rather than tsc's output: one file loads much faster.
import { main } from "../dist/eda.mjs";

process.exitCode = await main(process.argv.slice(2));
