// Forgets a subject from another process, as `eda forget` does: the built package, its own store.
import { openStore, sqlKeyStore } from "../../../dist/index.js";

const [url, subject] = process.argv.slice(2);
const store = await openStore(url);
try {
  console.log(JSON.stringify({ deleted: await sqlKeyStore(store).forget(subject) }));
} finally {
  await store.close();
}
