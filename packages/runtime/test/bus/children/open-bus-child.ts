/** Opens the bus named by argv[2] and prints the outcome as one JSON line: {ok} or {name, message}. */
import { openBus } from "../../../src/bus/open-bus.js";

openBus(process.argv[2]).then(
  async (bus) => {
    process.stdout.write(`${JSON.stringify({ ok: bus.url })}\n`);
    await bus.close();
  },
  (error: unknown) => {
    const e = error as Error;
    process.stdout.write(`${JSON.stringify({ name: e.name, message: e.message })}\n`);
  },
);
