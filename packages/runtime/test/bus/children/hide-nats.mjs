// A module hook that makes the NATS client packages look uninstalled, as in an application
// that never added them: `node --import ./hide-nats.mjs …`.
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(`
      export async function resolve(specifier, context, next) {
        if (specifier.startsWith("@nats-io/")) {
          const error = new Error("Cannot find package '" + specifier + "' imported from " + context.parentURL);
          error.code = "ERR_MODULE_NOT_FOUND";
          throw error;
        }
        return next(specifier, context);
      }
    `),
);
