/**
 * Preloaded with `node --import` into a measured process: at exit it writes the process's peak
 * resident set size, in bytes, to the file named by EDA_BENCH_RSS_FILE.
 */
import { writeFileSync } from "node:fs";

const out = process.env.EDA_BENCH_RSS_FILE;
if (out) process.on("exit", () => writeFileSync(out, String(process.resourceUsage().maxRSS * 1024)));
