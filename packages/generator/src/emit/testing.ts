/**
 * Test helpers. The engine is the runtime's (`@eda/runtime/testing`: given/when/then and
 * `projectRows`), which the model-wide `testing.ts` re-exports; each context with aggregates gets
 * `<context>/testing.ts` with one typed entry point per aggregate:
 * `testOrder(order).given([…]).when(command).then([…])`. Commands and events are validated by the
 * runtime's codec functions over the model's `codecTable`, the very path production takes.
 */
import type { AggregateModel, Model } from "@eda/language";
import type { AggregateNames, GenModel } from "../lower/gen-model.js";
import { genIndex } from "../lower/lookup.js";
import { moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";
import { ref } from "../print/ts-types.js";
import { signatureLines } from "../print/type-lines.js";
import { ownerReason } from "./rejections.js";

/** Builds the model-wide `testing.ts` and `<context>/testing.ts` for every context with aggregates. */
export function emitTesting(gen: GenModel, model: Model): FileView[] {
  const index = genIndex(gen);
  const contexts = model.contexts.flatMap((c) => {
    const cx = index.context(c.name);
    const module = cx.gen.modules.testing;
    if (!module) return [];
    const aggregates = c.aggregates.map((a) => {
      const n = cx.aggregate(a.name).names;
      return { name: a.name, test: n.test, signature: scenarioSignature(a, n) };
    });
    return [fileView("context-testing", module.path, { ...moduleHead(module), aggregates }, c.name)];
  });
  return [fileView("testing", gen.modules.testing.path, { header: gen.modules.testing.header }), ...contexts];
}

/** `export function testOrder<R>(decider: OrderDecider<R>): Scenarios<…> {` (the template writes the body and the doc). */
function scenarioSignature(a: AggregateModel, n: AggregateNames): string {
  return signatureLines(`export function ${n.test}`, [{ name: "R" }], [{ name: "decider", type: ref(n.decider, "R") }], ref("Scenarios", n.command, n.event, n.state, ownerReason(a, n))).join("\n");
}
