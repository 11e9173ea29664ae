// Runs as an application would, on the built package (`@eda/runtime` through its exports), with
// the driver packages named in EDA_HIDE (comma-separated) made to look uninstalled. Usage:
// `node drivers-child.mjs store|bus|entry URL-or-subpath`; prints one JSON line.
import { register } from "node:module";

const hidden = (process.env.EDA_HIDE ?? "").split(",").filter(Boolean);
register(
  "data:text/javascript," +
    encodeURIComponent(`
      const hidden = ${JSON.stringify(hidden)};
      export async function resolve(specifier, context, next) {
        if (hidden.some((name) => specifier === name || specifier.startsWith(name + "/"))) {
          const error = new Error("Cannot find package '" + specifier + "' imported from " + context.parentURL);
          error.code = "ERR_MODULE_NOT_FOUND";
          throw error;
        }
        return next(specifier, context);
      }
    `),
);

const [what, target] = process.argv.slice(2);
try {
  if (what === "entry") {
    const module = await import(target);
    console.log(JSON.stringify({ ok: Object.keys(module).sort() }));
  } else {
    const runtime = await import("@eda/runtime");
    const opened = what === "store" ? await runtime.openStore(target, { connectTimeoutMs: 3000 }) : await runtime.openBus(target);
    console.log(JSON.stringify({ ok: opened.engine ?? opened.url }));
    await opened.close();
  }
} catch (error) {
  console.log(JSON.stringify({ name: error.name, message: error.message, packages: error.packages }));
}
