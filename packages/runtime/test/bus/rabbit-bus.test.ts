import { openBus } from "../../src/bus/open-bus.js";
import { describeBusConformance } from "./bus-conformance.js";
import { createVhost } from "./support/rabbit.js";

describeBusConformance("rabbitmq", async () => {
  const vhost = await createVhost();
  const bus = await openBus(vhost.url);
  return {
    bus,
    dispose: async () => {
      await bus.close();
      await vhost.dispose();
    },
  };
});
