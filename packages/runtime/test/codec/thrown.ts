import { DeserializeError } from "../../src/codec/deserialize-error.js";

/** The `DeserializeError` that `fn` throws (anything else thrown is rethrown; not throwing fails). */
export function thrown(fn: () => unknown): DeserializeError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DeserializeError) return error;
    throw error;
  }
  throw new Error("did not throw");
}
