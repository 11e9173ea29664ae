/**
 * Background CPU load for a loaded run: `count` processes that each spin on one core (a busy
 * loop, like `stress --cpu`), each ending by itself after `maxSeconds` should this process die
 * first. `EDA_BENCH_LOAD=12 node bench/run.mjs scaleout` measures with twelve of them beside
 * whatever else the machine runs (the run's header gives the load average at its start).
 */
import { spawn } from "node:child_process";

/** Starts the spinners; resolves to a function that stops them. */
export function startLoad(count, maxSeconds = 900) {
  const spin = `const end = Date.now() + ${maxSeconds * 1000}; while (Date.now() < end) {}`;
  const children = Array.from({ length: count }, () => spawn(process.execPath, ["-e", spin], { stdio: "ignore" }));
  return () => {
    for (const child of children) child.kill("SIGKILL");
  };
}
