/**
 * A password in a store or bus URL never reaches an error: twelve shapes of URL — valid but
 * unreachable, unparsable, of an unknown scheme, with unencoded `@ : /` in the password, without
 * a user, without a scheme, with a password in the query — through `openStore`, `openBus` and
 * `createApp`, looking at the message, the `url` field, the causes and everything `inspect` prints.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app/app.js";
import { openBus } from "../../src/bus/open-bus.js";
import { maskCredentials } from "../../src/engine/mask-url.js";
import { openStore } from "../../src/engine/open-store.js";

const SECRET = "s3cret";

/** [what, kind, url]: each must fail, and not one may show the secret. */
const SHAPES: readonly (readonly [string, "store" | "bus", string])[] = [
  ["valid, nothing listens", "store", `postgres://app:${SECRET}@127.0.0.1:1/shop`],
  ["unparsable host", "store", `postgresql://app:${SECRET}@[::1/shop`],
  ["port out of range", "store", `postgres://app:${SECRET}@127.0.0.1:99999/shop`],
  ["unencoded @ : / in the password", "store", `postgres://app:p@${SECRET}:w/rd@127.0.0.1:1/shop`],
  ["unknown scheme", "store", `mysql://root:${SECRET}@127.0.0.1/shop`],
  ["scheme without slashes", "store", `postgres:app:${SECRET}@127.0.0.1/shop`],
  ["no scheme", "store", `app:${SECRET}@127.0.0.1:5432/shop`],
  ["upper-case scheme and spaces", "store", `  POSTGRES://app:${SECRET}@127.0.0.1:1/shop\n`],
  ["password in the query", "store", `postgres://app@127.0.0.1:1/shop?sslmode=disable&password=${SECRET}`],
  ["valid AMQP, nothing listens", "bus", `amqp://guest:${SECRET}@127.0.0.1:1/`],
  ["space in the host", "bus", `amqps://guest:${SECRET}@rabbit host/`],
  ["unknown bus scheme, empty user", "bus", `kafka://:${SECRET}@127.0.0.1:9092`],
];

function everything(error: unknown): string {
  return [String(error), inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }), JSON.stringify(error), (error as { stack?: string }).stack ?? ""].join("\n");
}

describe("credentials in URLs", () => {
  it.each(SHAPES)("are masked in every error: %s", async (_what, kind, url) => {
    const open = kind === "store" ? openStore(url, { connectTimeoutMs: 2_000 }) : openBus(url, { connectTimeoutMs: 2_000 });
    const error = await open.then(
      () => new Error("opened"),
      (e: unknown) => e,
    );
    expect(String(error)).not.toBe("Error: opened");
    expect(everything(error)).not.toContain(SECRET);
    expect(String(error)).toContain("***");
    const app = kind === "store" ? createApp({ codec: undefined as never, routes: {}, projections: [] }, { store: url }) : createApp({ codec: undefined as never, routes: {}, projections: [] }, { store: "memory:", bus: url });
    expect(everything(await app.then(() => new Error("opened"), (e: unknown) => e))).not.toContain(SECRET);
  });

  it("keeps what is not secret", () => {
    expect(maskCredentials("postgres://app:pw@db:5432/shop")).toBe("postgres://app:***@db:5432/shop");
    expect(maskCredentials("write to ada@example.com about postgres://db/shop")).toBe("write to ada@example.com about postgres://db/shop");
    expect(maskCredentials('cannot use "amqp://guest:a@b:c@host/vh" here')).toBe('cannot use "amqp://guest:***@host/vh" here');
    expect(maskCredentials("postgres://u@h/db?password=x&sslmode=require")).toBe("postgres://u@h/db?password=***&sslmode=require");
  });
});
