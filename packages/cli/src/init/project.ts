/**
 * The files `eda init` writes: a project that works at once. Its model, handler, test and main
 * are the README's "first ten minutes"; the tsconfig is as strict as real projects make it
 * (NodeNext, `noUnusedLocals`, `noUnusedParameters`, `exactOptionalPropertyTypes`), so the
 * generated code is held to it too.
 */

import type { Template } from "./choices.js";
import type { ProjectFile } from "./project-file.js";
import { SHOP_FILES } from "./shop.generated.js";

/** What the project's package.json depends on, besides the eda packages (the versions eda is tested with). */
export const VERSIONS = {
  "better-sqlite3": "^12.11.1",
  zod: "^4.6.7",
  typescript: "~6.0.3",
  "@types/node": "^20.19.0",
} as const;

export type { ProjectFile } from "./project-file.js";

/** The files of a new project called `name`, using eda packages of version `version`. */
export function projectFiles(name: string, version: string, template: Template): ProjectFile[] {
  const files = [
    { path: "package.json", text: json(packageJson(name, version)) },
    { path: "tsconfig.json", text: json(TSCONFIG) },
    { path: "eda.config.json", text: json(edaConfig("model", "src")) },
    { path: ".gitignore", text: "node_modules/\ndist/\nsrc/generated/\neda.db*\n" },
  ];
  switch (template) {
    case "minimal":
      return [...files, ...MINIMAL];
    case "shop":
      return [...files, ...SHOP_FILES, ...SHOP];
  }
}

/** The packages a project using eda of version `version` depends on, as package.json lists them. */
export function edaDependencies(version: string): { readonly dependencies: Record<string, string>; readonly devDependencies: Record<string, string> } {
  return {
    dependencies: {
      "@eda/runtime": `^${version}`,
      // The driver of the embedded default store (sqlite:./eda.db); see the runtime's README for
      // the others (pg for postgres://, amqplib for amqp://).
      "better-sqlite3": VERSIONS["better-sqlite3"],
      zod: VERSIONS.zod,
    },
    devDependencies: {
      "@eda/cli": `^${version}`,
      "@types/node": VERSIONS["@types/node"],
      typescript: VERSIONS.typescript,
    },
  };
}

function packageJson(name: string, version: string): object {
  return {
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    // The Node eda runs on: npm warns of an older one at install, and eda itself says so.
    engines: { node: ">=20.19" },
    scripts: {
      check: "eda check",
      generate: "eda generate",
      build: "eda generate && tsc -p .",
      // No path: each Node finds every compiled `*.test.js` (a path is a glob from Node 21 on, a folder is not).
      test: "eda generate && tsc -p . && node --test",
      start: "eda generate && tsc -p . && node dist/main.js",
    },
    ...edaDependencies(version),
    // better-sqlite3 builds (or downloads) its binding when installed: pnpm and bun run no
    // dependency's install script unless the project allows it, and the app could not open eda.db.
    // npm 11 warns of scripts its `allowScripts` does not cover, and npm 12 blocks them. Each
    // manager allows the same two (esbuild's, of the CLI's tsx, checks its platform binary):
    // with esbuild left out, every pnpm install of a new project ended in "Ignored build scripts".
    pnpm: { onlyBuiltDependencies: ["better-sqlite3", "esbuild"] },
    trustedDependencies: ["better-sqlite3", "esbuild"],
    allowScripts: { "better-sqlite3": true, esbuild: true },
  };
}

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    lib: ["ES2023"],
    types: ["node"],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    rootDir: "src",
    outDir: "dist",
  },
  include: ["src"],
};

/**
 * The project's eda.config.json: the model in `modelDir`, the generated code, the handlers and
 * their module in `codeDir`. `store` is the app's default (EDA_STORE overrides both), so `eda store
 * verify`, `eda forget` and the other operator commands find it; `implementation` gives `eda
 * projections rebuild` the handlers.
 */
export function edaConfig(modelDir: string, codeDir: string): object {
  return {
    $schema: "./node_modules/@eda/cli/schema/eda.config.schema.json",
    model: [`${modelDir}/**/*.eda`],
    out: `${codeDir}/generated`,
    handlers: `${codeDir}/handlers`,
    store: "sqlite:./eda.db",
    implementation: `${codeDir}/implementation.ts`,
  };
}

/** The lines of `src/main.ts` that make the app: its warnings and errors go to standard error. */
const MAKE_APP = `// Warnings and errors (a projection stopped at an event it cannot read, a failing handler, a lost
// connection) as JSON lines on stderr; leave \`level\` out to see every message published and consumed.
const logger = jsonLogger((line) => process.stderr.write(\`\${line}\\n\`), { level: "warn" });
// EDA_STORE and EDA_BUS pick the engines; the default is a SQLite file, eda.db, and an in-process bus.
const app = await createApp(implementation, { observability: createObservability({ logger }) });
app.start(); // the outbox relay, projections and sagas, in the background`;

const MINIMAL: readonly ProjectFile[] = [
  {
    path: "model/ordering.eda",
    text: `context Ordering

/// Ask to place a new order.
command PlaceOrder {
  orderId: uuid
  customerId: uuid
  total: int @min(0)
}

event OrderPlaced { orderId: uuid, customerId: uuid, total: int }

aggregate Order {
  stream orderId
  state { placed: bool = false }
  on PlaceOrder emits OrderPlaced
}
`,
  },
  {
    path: "src/handlers/ordering/order.ts",
    text: `import { reject } from "../../generated/decisions.js";
import { defineOrder } from "../../generated/ordering/aggregates.js";

export const order = defineOrder({
  decide: {
    PlaceOrder(command, state) {
      if (state.placed) return reject({ code: "already-placed" });
      return [{ type: "OrderPlaced", data: command }];
    },
  },
  evolve: {
    OrderPlaced: (state) => ({ ...state, placed: true }),
  },
});
`,
  },
  {
    path: "src/order.test.ts",
    text: `import { test } from "node:test";
import { testOrder } from "./generated/ordering/testing.js";
import { order } from "./handlers/ordering/order.js";

const orderId = "0b7e4c52-6f0a-4c3e-9a57-1d2f3e4a5b6c";
const customerId = "5f1d3a8e-2b4c-4e6f-8a9b-0c1d2e3f4a5b";
const placed = { type: "OrderPlaced", data: { orderId, customerId, total: 100 } } as const;

test("placing a new order records OrderPlaced", () => {
  testOrder(order).given([]).when({ type: "PlaceOrder", data: placed.data }).then([placed]);
});

test("an order is placed only once", () => {
  testOrder(order).given([placed]).when({ type: "PlaceOrder", data: placed.data }).thenRejects({ code: "already-placed" });
});
`,
  },
  {
    path: "src/implementation.ts",
    text: `import type { Implementation } from "./generated/app.js";
import { order } from "./handlers/ordering/order.js";

/** The model's handlers, as the app and \`eda projections rebuild\` take them. */
export const implementation: Implementation = {
  Ordering: { Order: order },
};
`,
  },
  {
    path: "src/main.ts",
    text: `import { randomUUID } from "node:crypto";
import { createObservability, jsonLogger } from "@eda/runtime";
import { createApp } from "./generated/app.js";
import { implementation } from "./implementation.js";

${MAKE_APP}
try {
  const outcome = await app.send({ type: "PlaceOrder", data: { orderId: randomUUID(), customerId: randomUUID(), total: 100 } });
  console.log(\`PlaceOrder: \${outcome.status} (store \${app.store.engine}, bus \${app.bus.url})\`);
} finally {
  await app.close(); // stops the background work and closes the store and bus: the process can exit
}
`,
  },
];

/** The shop's own test and main; its model and handlers are the example's (shop.generated.ts). */
const SHOP: readonly ProjectFile[] = [
  {
    path: "src/order.test.ts",
    text: `import { test } from "node:test";
import { testOrder } from "./generated/ordering/testing.js";
import { order } from "./handlers/ordering/order.js";

const orderId = "0b7e4c52-6f0a-4c3e-9a57-1d2f3e4a5b6c";
const customerId = "5f1d3a8e-2b4c-4e6f-8a9b-0c1d2e3f4a5b";
const lines = [{ sku: "TEA-GREEN", quantity: 2, unitPrice: { amountMinor: 450, currency: "EUR" } }] as const;
const shipTo = { line1: "1 High Street", city: "Leeds", postalCode: "LS1 4AP", country: "GB" };
const data = { orderId, customerId, lines: [...lines], shipTo, contactEmail: "ada@example.com" };
const placed = { type: "OrderPlaced", data: { ...data, total: { amountMinor: 900, currency: "EUR" } } } as const;

test("placing an order records OrderPlaced with its total", () => {
  testOrder(order).given([]).when({ type: "PlaceOrder", data }).then([placed]);
});

test("an order is placed only once", () => {
  testOrder(order).given([placed]).when({ type: "PlaceOrder", data }).thenRejects();
});
`,
  },
  {
    path: "src/implementation.ts",
    text: `import type { Implementation } from "./generated/app.js";
import { reservation } from "./handlers/inventory/reservation.js";
import { mailer } from "./handlers/notifications/mailer.js";
import { customerOrders } from "./handlers/ordering/customer-orders.js";
import { order } from "./handlers/ordering/order.js";
import { orderingUpcasts } from "./handlers/ordering/upcasts.js";
import { payment } from "./handlers/payments/payment.js";
import { shipment } from "./handlers/shipping/shipment.js";

/** The model's handlers and upcast hooks, as the app and \`eda projections rebuild\` take them. */
export const implementation: Implementation = {
  Inventory: { Reservation: reservation },
  Notifications: { Mailer: mailer },
  Ordering: { Order: order, CustomerOrders: customerOrders },
  Payments: { Payment: payment },
  Shipping: { Shipment: shipment },
  upcasts: { Ordering: orderingUpcasts },
};
`,
  },
  {
    path: "src/main.ts",
    text: `import { randomUUID } from "node:crypto";
import { createObservability, jsonLogger } from "@eda/runtime";
import { createApp } from "./generated/app.js";
import { implementation } from "./implementation.js";

${MAKE_APP}
try {
  const orderId = randomUUID();
  const lines = [{ sku: "TEA-GREEN", quantity: 2, unitPrice: { amountMinor: 450, currency: "EUR" as const } }];
  const shipTo = { line1: "1 High Street", city: "Leeds", postalCode: "LS1 4AP", country: "GB" };
  const outcome = await app.send({ type: "PlaceOrder", data: { orderId, customerId: randomUUID(), lines, shipTo, contactEmail: "ada@example.com" } });
  await app.settle(); // until the Checkout saga and the e-mails are done
  const checkout = await app.orchestrator("Checkout").instance(orderId);
  console.log(\`PlaceOrder: \${outcome.status}, checkout \${checkout?.state.kind ?? "not started"} (store \${app.store.engine}, bus \${app.bus.url})\`);
} finally {
  await app.close(); // stops the background work and closes the store and bus: the process can exit
}
`,
  },
];

/** `value` as eda writes a JSON file: two spaces, a newline at the end. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
