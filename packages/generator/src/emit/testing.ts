/**
 * Test helpers. The engine is the runtime's (`@eda/runtime/testing`: given/when/then and
 * `projectRows`), which the model-wide `testing.ts` re-exports; each context with aggregates gets
 * `<context>/testing.ts` with one typed entry point per aggregate:
 * `testOrder(order).given([…]).when(command).then([…])`. Commands and events are validated by the
 * runtime's codec functions over the model's `codecTable`, the very path production takes.
 */
import type { AggregateModel, ContextModel, Model } from "@eda/language";
import { docComment, identifier } from "../escape.js";
import type { GeneratedFile } from "../generated-file.js";
import { contextDir, header } from "../names.js";
import { renderModule } from "../templates.js";
import { pad } from "../layout.js";
import { aggregateNames } from "./aggregates.js";
import { fromContext, importLines, signatureLines } from "./behaviour.js";
import { renderTesting } from "./handler-templates.js";
import { ownerReason, rejectionNames } from "./rejections.js";

/** The name of an aggregate's scenario entry point: `testOrder`. */
export function testFunction(a: AggregateModel): string {
  return `test${identifier(a.name)}`;
}

/** Builds the model-wide `testing.ts` and `<context>/testing.ts` for every context with aggregates. */
export function emitTesting(model: Model): GeneratedFile[] {
  const contexts = model.contexts.filter((c) => c.aggregates.length > 0);
  return [
    { path: "testing.ts", content: renderTesting({ header: header(model.files) }) },
    ...contexts.map((c) => ({ path: `${contextDir(c.name)}/testing.ts`, content: testingModule(c) })),
  ];
}

function testingModule(c: ContextModel): string {
  const blocks = c.aggregates.map((a) => scenarioBlock(a));
  const types = c.aggregates.flatMap((a) => {
    const n = aggregateNames(a);
    return [n.command, n.decider, n.event, ...(a.rejections.length > 0 ? [rejectionNames(a.name).rejects] : []), n.state];
  });
  const imports = [
    `import { codecTable } from "${fromContext("codec.js")}";`,
    ...importLines("import", ["scenarios", "type Scenarios"], "@eda/runtime/testing"),
    ...importLines("import type", types, "./aggregates.js"),
  ];
  return renderModule({ header: header(c.files), imports, blocks });
}

function scenarioBlock(a: AggregateModel): string[] {
  const n = aggregateNames(a);
  const signature = signatureLines(`export function ${testFunction(a)}<R>`, [`decider: ${n.decider}<R>`], { name: "Scenarios", args: [n.command, n.event, n.state, ownerReason(a)] });
  return [
    ...docComment(
      [
        `Given/when/then scenarios for a decider of aggregate \`${a.name}\`, run in memory:`,
        `\`${testFunction(a)}(decider).given([…events]).when(command).then([…events])\` or`,
        "`.thenRejects(reason)`. Commands and events are checked against their schemas, as in",
        "production.",
      ].join("\n"),
    ),
    ...signature,
    `${pad(1)}return scenarios(decider, codecTable);`,
    "}",
  ];
}
