// Writes schema/eda.config.schema.json from the Zod schema of eda.config.json (run after the
// build: it reads dist/). `test/config-schema.test.ts` fails when the committed file is stale.
import { writeFile } from "node:fs/promises";
import { configJsonSchema } from "../dist/config-schema.js";

const target = new URL("../schema/eda.config.schema.json", import.meta.url);
await writeFile(target, configJsonSchema());
console.log(`wrote ${target.pathname}`);
