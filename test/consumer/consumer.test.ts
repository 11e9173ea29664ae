/**
 * What a user of the published packages gets. The four packages are packed with `pnpm pack` (as
 * `pnpm publish` would pack them: `workspace:*` becomes a version, only `files` ship), installed
 * with npm into an empty project, and used there as the README says: write a model, run
 * `npx eda generate`, implement the handler scaffold, compile with tsc (strict), and run a script
 * that reads a stored old event version and tests the decider with the generated helper.
 *
 * npm runs with `--ignore-scripts`: nothing here opens a database, so no driver is installed (they
 * are optional peer dependencies of @eda/runtime) and no install script has anything to do.
 * Needs the workspace built (`pnpm build`) and the npm registry (for zod, typescript and the
 * packages' own dependencies); `--prefer-offline` reuses npm's cache.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBundle, ROOT } from "../cli/helpers.js";

const run = promisify(execFile);
const PACKAGES = ["language", "generator", "runtime", "cli"];

const MODEL = `/// A tiny shop: one aggregate, one event with an old version still in the store.
context Shop

enum OrderStatus { Open, Placed }

command PlaceOrder {
  orderId: uuid
  quantity: int @min(1)
}

/// v2 added the quantity and a note.
event OrderPlaced v2 {
  orderId: uuid
  quantity: int
  note: string
}

event OrderPlaced v1 {
  orderId: uuid
}

upcast OrderPlaced v1 -> v2 {
  quantity = 1
  note = "migrated"
}

aggregate Order {
  stream orderId
  state {
    status: OrderStatus = Open
  }
  on PlaceOrder emits OrderPlaced
}
`;

/** The user's implementation of the scaffold eda created. */
const HANDLERS = `import { reject } from "../../generated/decisions.js";
import { defineOrder } from "../../generated/shop/aggregates.js";

export const order = defineOrder({
  decide: {
    PlaceOrder(command, state) {
      if (state.status === "Placed") return reject({ code: "already-placed" });
      return [{ type: "OrderPlaced", data: { orderId: command.orderId, quantity: command.quantity, note: "" } }];
    },
  },
  evolve: {
    OrderPlaced(state) {
      return { ...state, status: "Placed" };
    },
  },
});
`;

const APP = `import assert from "node:assert/strict";
import { compile } from "@eda/language";
import { generate } from "@eda/generator";
import { DeserializeError } from "@eda/runtime/codec";
import { createCodec } from "./generated/index.js";
import { testOrder } from "./generated/shop/testing.js";
import { order } from "./handlers/shop/order.js";

const orderId = "0b7e4c52-6f0a-4c3e-9a57-1d2f3e4a5b6c";
const codec = createCodec();

// An event stored as v1 reads as v2, filled in by the upcast.
const old = codec.deserialize({ type: "OrderPlaced", version: 1, payload: { orderId } });
assert.deepEqual(old, { type: "OrderPlaced", data: { orderId, quantity: 1, note: "migrated" } });
assert.throws(
  () => codec.deserialize({ type: "OrderPlaced", version: 2, payload: { orderId, quantity: "two", note: "" } }),
  (error: unknown) => error instanceof DeserializeError && error.reason === "invalid-payload" && error.field === "quantity",
);
// Commands are parsed by their schemas before any handler sees them.
const invalid = codec.validateCommand({ type: "PlaceOrder", data: { orderId, quantity: 0 } });
assert.ok(!invalid.ok && invalid.issues[0]?.path.join(".") === "quantity");

// The decider, through the generated test helper.
const placed = { type: "OrderPlaced", data: { orderId, quantity: 2, note: "" } } as const;
const state = testOrder(order).given([]).when({ type: "PlaceOrder", data: { orderId, quantity: 2 } }).then([placed]);
assert.deepEqual(state, { status: "Placed" });
testOrder(order).given([placed]).when({ type: "PlaceOrder", data: { orderId, quantity: 1 } }).thenRejects({ code: "already-placed" });
assert.throws(() => testOrder(order).given([placed]).when({ type: "PlaceOrder", data: { orderId, quantity: 1 } }).then([]));

// The language and generator packages work on their own too.
const { model, diagnostics } = compile([{ path: "shop.eda", text: "context Shop\\n\\nevent Pinged {\\n  at: timestamp\\n}\\n" }]);
assert.deepEqual(diagnostics, []);
assert.ok(generate(model).some((file) => file.path === "shop/schemas.ts"));

console.log("consumer ok");
`;

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    types: ["node"],
    rootDir: "src",
    outDir: "dist",
  },
  include: ["src"],
};

let work = "";
let app = "";

/** Runs a command in the consumer project; resolves to its output, rejects with it on failure. */
/**
 * The environment a user's shell would have: without the `npm_config_*` and `npm_package_*`
 * variables that `pnpm test` sets for its scripts (npm warns about pnpm's own settings).
 */
function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_(config|package|lifecycle)_/i.test(k)));
}

async function sh(command: string, args: readonly string[], cwd = app): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(command, [...args], { cwd, env: { ...userEnv(), NO_COLOR: "1", npm_config_update_notifier: "false" }, maxBuffer: 32 << 20 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
}

function write(path: string, text: string): void {
  mkdirSync(dirname(join(app, path)), { recursive: true });
  writeFileSync(join(app, path), text);
}

describe("the published packages, installed with npm into an empty project", () => {
  beforeAll(async () => {
    ensureBundle();
    work = mkdtempSync(join(tmpdir(), "eda-consumer-"));
    app = join(work, "app");
    const packs = join(work, "packs");
    mkdirSync(app);
    await Promise.all(PACKAGES.map((name) => sh("pnpm", ["pack", "--pack-destination", packs], join(ROOT, "packages", name))));
    const tarballs = readdirSync(packs).sort();
    expect(tarballs).toEqual(["eda-cli-0.1.0.tgz", "eda-generator-0.1.0.tgz", "eda-language-0.1.0.tgz", "eda-runtime-0.1.0.tgz"]);
    // The versions the workspace is built and tested with.
    const root = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
    const versions = ["zod", "typescript", "@types/node"].map((name) => `${name}@${root.devDependencies[name]}`);
    write("package.json", `${JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2)}\n`);
    const install = ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", "--loglevel=error"];
    await sh("npm", [...install, ...tarballs.map((t) => join(packs, t)), ...versions]);
  }, 180_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("ship what they promise: workspace versions resolved, only built files, the bin linked", () => {
    for (const name of PACKAGES) {
      const manifest = JSON.parse(readFileSync(join(app, "node_modules/@eda", name, "package.json"), "utf8")) as Record<string, Record<string, string> | undefined>;
      expect(JSON.stringify(manifest.dependencies ?? {}), name).not.toContain("workspace:");
      expect(readdirSync(join(app, "node_modules/@eda", name)).sort(), name).not.toContain("src");
    }
    expect(readdirSync(join(app, "node_modules/.bin"))).toContain("eda");
  });

  it("generate, implement, compile strict and run: deserialize an old event version, test the decider", async () => {
    expect((await sh("npx", ["eda", "--version"])).stdout).toBe("0.1.0\n");
    write("model/shop.eda", MODEL);
    write("eda.config.json", JSON.stringify({ $schema: "./node_modules/@eda/cli/schema/eda.config.schema.json", model: "model/*.eda", out: "src/generated", handlers: "src/handlers" }));
    write("tsconfig.json", JSON.stringify(TSCONFIG, null, 2));

    const generated = await sh("npx", ["eda", "generate"]);
    expect(generated.stdout).toMatch(/^wrote \d+ files to src\/generated\/ \(\d+ new\), created 1 handler file\n$/);
    expect(generated.stderr).toBe("");
    expect((await sh("npx", ["eda", "generate", "--check"])).stdout).toMatch(/^src\/generated\/ is up to date/);

    // The scaffold compiles as it is (its stubs throw when called)…
    const scaffold = readFileSync(join(app, "src/handlers/shop/order.ts"), "utf8");
    expect(scaffold).toContain("export const order = defineOrder({");
    await sh("npx", ["tsc", "-p", ".", "--noEmit"]);

    // …and once the user has written the handlers, the whole thing compiles and runs.
    write("src/handlers/shop/order.ts", HANDLERS);
    write("src/app.ts", APP);
    await sh("npx", ["tsc", "-p", "."]);
    expect((await sh("node", ["dist/app.js"])).stdout).toBe("consumer ok\n");

    // Generating again leaves the user's handlers alone.
    expect((await sh("npx", ["eda", "generate"])).stdout).toMatch(/^src\/generated\/ is up to date/);
    expect(readFileSync(join(app, "src/handlers/shop/order.ts"), "utf8")).toBe(HANDLERS);
  }, 120_000);
});
