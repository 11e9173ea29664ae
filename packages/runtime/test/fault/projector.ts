/**
 * Fault-test child: runs the CustomerOrders projection to the head. With a `hang at` position,
 * it stops inside the transaction of the batch that reaches it — rows written, checkpoint not
 * yet — tells the parent, and waits to be killed. Args: <store url> <batch size> <hang at | 0>.
 */
import { openStore } from "../../src/engine/open-store.js";
import { ProjectionRunner } from "../../src/projection/projection-runner.js";
import type { EventStore, StoreTransaction } from "../../src/store/event-store.js";
import { customerOrders, shopCodec } from "../projection/shop.js";
import { runChild, tell } from "./child-io.js";

const [url = "", batchSize = "50", hangAt = "0"] = process.argv.slice(2);

/** A store whose transactions freeze before writing a checkpoint at or past `position`. */
function freezing(store: EventStore, position: number): EventStore {
  const wrap = (tx: StoreTransaction): StoreTransaction =>
    new Proxy(tx, {
      get(target, property, receiver) {
        if (property !== "setCheckpoint") return Reflect.get(target, property, receiver) as unknown;
        const setCheckpoint: StoreTransaction["setCheckpoint"] = async (name, checkpoint) => {
          if (position > 0 && checkpoint.position >= position) {
            await tell({ kind: "mid-batch", checkpoint: checkpoint.position });
            await new Promise(() => undefined);
          }
          return target.setCheckpoint(name, checkpoint);
        };
        return setCheckpoint;
      },
    });
  const transaction: EventStore["transaction"] = (fn) => store.transaction((tx) => fn(wrap(tx)));
  return new Proxy(store, { get: (t, p, r) => (p === "transaction" ? transaction : Reflect.get(t, p, r)) as unknown });
}

runChild(async () => {
  const store = await openStore(url);
  try {
    const runner = new ProjectionRunner(freezing(store, Number(hangAt)), shopCodec(), customerOrders(), {
      batchSize: Number(batchSize),
    });
    const applied = await runner.catchUp();
    await tell({ kind: "done", applied, checkpoint: (await runner.checkpoint()).position });
  } finally {
    await store.close();
  }
});
