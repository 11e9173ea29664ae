/**
 * The access audit through the shop's generated `createApp`, on SQLite and PostgreSQL: the
 * command path's stream loads, the projection's and the orchestrator's consumption and a
 * projection read carry the caller into the sink; records never hold a `@pii` value; the
 * per-context switch keeps the other contexts out; JSON lines by default; a choreography
 * consumer on RabbitMQ records what the broker delivered.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createVhost } from "../../packages/runtime/test/bus/support/rabbit.js";
import type { AuditRecord } from "@eda/runtime";
import { freshStore, loadShop, openShop, orderId, placeOrder, SQL_ENGINES, type Shop } from "./shop-app.js";
import type * as AppModule from "./shop-generated/app.js";

let shop!: Shop;
beforeAll(async () => {
  shop = await loadShop();
});

/** The shop's Payments message types. */
const PAYMENTS = ["ChargePayment", "RefundPayment", "PaymentCaptured", "PaymentDeclined", "PaymentRefunded"];

describe.each(SQL_ENGINES)("access audit on %s", (engine) => {
  let store: Awaited<ReturnType<typeof freshStore>> | undefined;
  let app: AppModule.ModelApp | undefined;
  afterEach(async () => {
    await app?.close();
    await store?.drop();
    [app, store] = [undefined, undefined];
  });

  async function run(audit: NonNullable<Parameters<typeof openShop>[2]>["audit"]): Promise<string> {
    store = await freshStore(engine);
    app = await openShop(shop, store.url, audit === undefined ? {} : { audit });
    const id = orderId(1);
    expect(await app.send(placeOrder(id, "grace@example.com"), { caller: "web-shop", correlationId: "basket-7" })).toMatchObject({ status: "accepted" });
    await app.settle();
    return id;
  }

  it("records who loaded which stream and who consumed which event, without a @pii value", async () => {
    const records: AuditRecord[] = [];
    const id = await run({ sink: { record: (r) => records.push(r) } });
    expect(records).toContainEqual({ time: expect.any(String), action: "read-stream", principal: "web-shop", via: "send", stream: `Ordering.Order-${id}`, messageType: "PlaceOrder", correlationId: "basket-7" });
    expect(records).toContainEqual(expect.objectContaining({ action: "consume", principal: "web-shop", via: "projection:Ordering.CustomerOrders", stream: `Ordering.Order-${id}`, messageType: "OrderPlaced" }));
    expect(records.some((r) => r.action === "consume" && r.via.startsWith("orchestrator:") && r.correlationId === "basket-7")).toBe(true);
    app?.projection("Ordering.CustomerOrders", { caller: "back-office", correlationId: "report-1" });
    expect(records.at(-1)).toMatchObject({ action: "read-projection", principal: "back-office", via: "projection:Ordering.CustomerOrders", correlationId: "report-1" });
    const text = JSON.stringify(records);
    for (const pii of ["grace@example.com", "Rue de la Paix", "75002"]) expect(text).not.toContain(pii);
  });

  it("names a workflow as the principal of its commands: workflow:<name>, on behalf of the caller behind the event that started or triggered it", async () => {
    const records: AuditRecord[] = [];
    const id = await run({ sink: { record: (r) => records.push(r) } });
    // Checkout (orchestrated) sends ReserveStock: its stream load names the workflow, on behalf of whoever placed the order.
    expect(records).toContainEqual(
      expect.objectContaining({ action: "read-stream", principal: "workflow:Checkout", onBehalfOf: "web-shop", messageType: "ReserveStock", correlationId: "basket-7" }),
    );
    expect(records).toContainEqual(expect.objectContaining({ action: "consume", principal: "workflow:Checkout", via: "orchestrator:Checkout", messageType: "StockReserved" }));
    expect(records.some((r) => r.principal === null)).toBe(false);
    // CustomerNotifications (choreographed) acts for whoever placed the order; the Mailer's event carries both.
    const reader = await shop.runtime.openStore(store!.url);
    try {
      const sent = (await reader.readAll(1, 1_000)).find((e) => e.type === "OrderConfirmationSent" && (e.payload as { orderId: string }).orderId === id);
      expect(sent?.metadata).toMatchObject({ caller: "workflow:CustomerNotifications", onBehalfOf: "web-shop", workflow: "CustomerNotifications" });
      const reserved = (await reader.readAll(1, 1_000)).find((e) => e.type === "StockReserved");
      expect(reserved?.metadata).toMatchObject({ caller: "workflow:Checkout", onBehalfOf: "web-shop", workflow: "Checkout" });
    } finally {
      await reader.close();
    }
  });

  it("audits only the contexts asked for, by the generated model's contexts", async () => {
    const records: AuditRecord[] = [];
    await run({ sink: { record: (r) => records.push(r) }, contexts: ["Payments"] });
    expect(records.map((r) => [r.action, r.messageType, r.stream?.split("-")[0]])).toEqual(
      expect.arrayContaining([
        ["read-stream", "ChargePayment", "Payments.Payment"],
        ["consume", "PaymentCaptured", "Payments.Payment"],
      ]),
    );
    expect(records.every((r) => PAYMENTS.includes(r.messageType ?? ""))).toBe(true);
    app?.projection("Ordering.CustomerOrders", { caller: "back-office" });
    expect(records.some((r) => r.action === "read-projection")).toBe(false);
  });

  it("audits a context by a mapping of its own", async () => {
    const records: AuditRecord[] = [];
    await run({ sink: { record: (r) => records.push(r) }, contexts: ["Billing"], contextOf: (name) => (name === "PlaceOrder" ? "Billing" : undefined) });
    expect(records.map((r) => [r.action, r.messageType])).toEqual([["read-stream", "PlaceOrder"]]);
  });

  /** What `body` writes to stdout, parsed where it is an audit record. */
  async function stdoutRecords(body: () => Promise<unknown>): Promise<{ lines: string[]; records: AuditRecord[] }> {
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (lines.push(chunk), true)) as typeof process.stdout.write;
    try {
      await body();
    } finally {
      process.stdout.write = write;
    }
    return { lines, records: lines.filter((l) => l.includes('"action"')).map((l) => JSON.parse(l) as AuditRecord) };
  }

  it("writes JSON lines by default", async () => {
    const { lines, records } = await stdoutRecords(() => run(true));
    expect(records.map((r) => r.action)).toContain("read-stream");
    expect(lines.every((l) => l.endsWith("\n"))).toBe(true);
  });

  it("records nothing when off", async () => {
    const { records } = await stdoutRecords(() => run(undefined));
    expect(records).toEqual([]);
  });

  it("takes the operator's EDA_AUDIT when the code leaves audit unset; audit: false keeps it off", async () => {
    const before = process.env["EDA_AUDIT"];
    try {
      process.env["EDA_AUDIT"] = "Payments";
      const { records } = await stdoutRecords(() => run(undefined));
      expect(records.length).toBeGreaterThan(0);
      expect(records.every((r) => PAYMENTS.includes(r.messageType ?? ""))).toBe(true);
      await app?.close();
      await store?.drop();
      process.env["EDA_AUDIT"] = "all";
      expect((await stdoutRecords(() => run(false))).records).toEqual([]);
    } finally {
      if (before === undefined) delete process.env["EDA_AUDIT"];
      else process.env["EDA_AUDIT"] = before;
    }
  });

  it("refuses a context the model does not have, from the code or from EDA_AUDIT", async () => {
    await expect(run({ contexts: ["Paymnts"] })).rejects.toThrow(/the audit names "Paymnts", which the model has no context of \(its contexts: .*Payments/);
    expect(() => shop.runtime.auditFromEnv({ EDA_AUDIT: "Payments; drop" })).toThrow(/EDA_AUDIT must be "all", "off" or context names/);
    expect(shop.runtime.auditFromEnv({ EDA_AUDIT: " Payments, Ordering " })).toEqual({ contexts: ["Payments", "Ordering"] });
    expect(shop.runtime.auditFromEnv({ EDA_AUDIT: "off" })).toBeUndefined();
    expect(shop.runtime.auditFromEnv({})).toBeUndefined();
  });

  it("refuses a context switch it cannot apply (a model without contexts)", async () => {
    const model = { codec: shop.codec.createCodec({ Ordering: shop.upcasts.orderingUpcasts }), routes: {}, projections: [] };
    await expect(shop.runtime.createApp(model, { store: "memory:", audit: { contexts: ["Payments"] } })).rejects.toThrow(/audit.contexts needs audit.contextOf/);
  });
});

describe("access audit of a bus consumer on RabbitMQ", () => {
  it("records the choreography's consumption of a delivered event with the caller who caused it", async () => {
    const [store, vhost] = [await freshStore("sqlite"), await createVhost()];
    const records: AuditRecord[] = [];
    const app = await openShop(shop, store.url, { bus: vhost.url, audit: { sink: { record: (r) => records.push(r) } } });
    try {
      app.start();
      const id = orderId(3);
      await app.send(placeOrder(id, "grace@example.com"), { caller: "web-shop", correlationId: "basket-9" });
      const consumed = (): AuditRecord | undefined => records.find((r) => r.via === "choreography:CustomerNotifications" && r.messageType === "OrderPlaced");
      for (const deadline = Date.now() + 20_000; consumed() === undefined && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(consumed()).toMatchObject({ action: "consume", principal: "web-shop", stream: `Ordering.Order-${id}`, correlationId: "basket-9" });
      expect(JSON.stringify(records)).not.toContain("grace@example.com");
    } finally {
      await app.close();
      await vhost.dispose();
      await store.drop();
    }
  });
});
