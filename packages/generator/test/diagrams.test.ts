/**
 * The Mermaid diagrams, checked by Mermaid itself: every diagram of every example and test model
 * parses with Mermaid's own parser (in Node, over a jsdom window), and the graph Mermaid reads
 * back is the intended one — the shop's checkout with its failure edges labelled and its
 * compensation edges dashed, the choreography's mapping on its edge, the model's handlers,
 * projections and workflows. Ids and labels made from arbitrary text parse and arrive whole.
 */
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { GeneratedFile } from "../src/index.js";
import { mermaidId, mermaidLabel } from "../src/emit/diagrams.js";
import { generateFrom, readModel, repoRoot } from "./support.js";

interface Edge {
  readonly start: string;
  readonly end: string;
  readonly text: string;
  readonly stroke: string;
}
interface Vertex {
  readonly id: string;
  readonly text: string;
  readonly classes: readonly string[];
}
interface Mermaid {
  parse(text: string): Promise<{ diagramType: string; config: unknown }>;
  mermaidAPI: { getDiagramFromText(text: string): Promise<{ db: unknown }> };
}

let mermaid: Mermaid;

beforeAll(async () => {
  // Mermaid's sanitizer needs a DOM; jsdom gives it one. Loaded lazily, as the generator never needs it.
  const { JSDOM } = await import("jsdom");
  const { window } = new JSDOM("");
  Object.assign(globalThis, { window, document: window.document });
  mermaid = (await import("mermaid")).default as unknown as Mermaid;
});

const MODELS = ["examples/shop", "examples/parcel-lockers", "test/models/hotel", "test/models/library", "test/models/billing", "test/generated/models/edge"];

function diagramsOf(dir: string): GeneratedFile[] {
  return generateFrom(readModel(join(repoRoot, dir))).filter((f) => f.path.endsWith(".mmd"));
}

/** Mermaid's entity placeholders (`#quot;` is kept as a marker until rendering), decoded. */
function decode(text: string): string {
  const named: Record<string, string> = { quot: '"', lt: "<", gt: ">", amp: "&" };
  return text.replace(/ﬂ°°(\d+)¶ß/g, (_, n: string) => String.fromCodePoint(Number(n))).replace(/ﬂ°(\w+)¶ß/g, (_, n: string) => named[n] ?? `#${n};`);
}

/** The graph Mermaid reads from `text`: its edges and vertices, labels decoded. */
async function graph(text: string): Promise<{ edges: Edge[]; vertices: Map<string, Vertex> }> {
  await mermaid.parse(text);
  const db = (await mermaid.mermaidAPI.getDiagramFromText(text)).db as { getEdges(): Edge[]; getVertices(): Map<string, Vertex> };
  const edges = db.getEdges().map((e) => ({ start: e.start, end: e.end, text: decode(e.text), stroke: e.stroke }));
  const vertices = new Map([...db.getVertices()].map(([id, v]) => [id, { id, text: decode(v.text), classes: v.classes }]));
  return { edges, vertices };
}

describe("every diagram parses with Mermaid", () => {
  it("rejects a broken diagram (the oracle is live)", async () => {
    await expect(mermaid.parse('flowchart TD\n  a["x"y"] --> end\n')).rejects.toThrow(/Parse error/);
  });

  for (const dir of MODELS) {
    it(dir, async () => {
      const files = diagramsOf(dir);
      expect(files.map((f) => f.path)).toContain("diagrams/model.mmd");
      expect(files.length).toBeGreaterThan(1);
      for (const f of files) expect(await mermaid.parse(f.content), f.path).toMatchObject({ diagramType: "flowchart-v2" });
    });
  }
});

describe("what Mermaid reads back", () => {
  const shop = (path: string): string => {
    const file = diagramsOf("examples/shop").find((f) => f.path === path);
    if (!file) throw new Error(`no ${path}`);
    return file.content;
  };
  const has = (edges: readonly Edge[], start: string, end: string, text: string, stroke: string): boolean =>
    edges.some((e) => e.start === start && e.end === end && e.text === text && e.stroke === stroke);

  it("Checkout: steps in order, failures labelled, compensations dashed in reverse, then the fail command", async () => {
    const { edges, vertices } = await graph(shop("diagrams/ordering/Checkout.mmd"));
    const text = (id: string): string | undefined => vertices.get(id)?.text;
    expect(["start", "s1_send", "s1_await", "s1_fail", "s1_comp", "s2_send", "s2_comp", "s3_send", "on_complete", "on_fail"].map(text)).toEqual([
      "OrderPlaced (start)",
      "ReserveStock",
      "StockReserved",
      "StockReservationFailed",
      "ReleaseStock",
      "ChargePayment (retry 3 every 2s)",
      "RefundPayment",
      "ScheduleShipment",
      "ConfirmOrder (on complete)",
      "CancelOrder (on fail)",
    ]);
    expect(vertices.get("s1_comp")?.classes).toEqual(["compensation"]);
    // The happy path.
    for (const [a, b] of [["start", "s1_send"], ["s1_send", "s1_await"], ["s1_await", "s2_send"], ["s2_await", "s3_send"], ["s3_await", "on_complete"], ["on_complete", "completed"]]) {
      expect(edges.some((e) => e.start === a && e.end === b && e.stroke === "normal"), `${a} --> ${b}`).toBe(true);
    }
    // A declined payment releases the stock, then cancels; a failed reservation only cancels.
    expect(has(edges, "s2_send", "s2_fail", "fail on", "normal")).toBe(true);
    expect(has(edges, "s2_fail", "s1_comp", "fails", "normal")).toBe(true);
    expect(has(edges, "s2_send", "s1_comp", "retries spent", "normal")).toBe(true);
    expect(has(edges, "s1_fail", "on_fail", "fails", "normal")).toBe(true);
    expect(has(edges, "s3_send", "s2_comp", "timeout 30m", "normal")).toBe(true);
    expect(has(edges, "s2_comp", "s1_comp", "then", "dotted")).toBe(true);
    expect(has(edges, "s1_comp", "on_fail", "then", "dotted")).toBe(true);
    expect(edges.filter((e) => e.stroke === "dotted").map((e) => e.start)).toEqual(["s1_comp", "s2_comp"]);
  });

  it("CustomerNotifications: each rule's event, command and explicit mapping", async () => {
    const { edges, vertices } = await graph(shop("diagrams/notifications/CustomerNotifications.mmd"));
    const placed = mermaidId("evt", "Ordering.OrderPlaced");
    const rule = mermaidId("rule", "onOrderPlacedSendSendOrderConfirmation");
    expect([vertices.get(placed)?.text, vertices.get(rule)?.text]).toEqual(["OrderPlaced", "SendOrderConfirmation"]);
    expect(has(edges, placed, rule, "to = contactEmail", "normal")).toBe(true);
    expect(has(edges, rule, mermaidId("evt", "Notifications.OrderConfirmationSent"), "", "dotted")).toBe(true);
  });

  it("the model: commands to their handler, events to their projections and workflows", async () => {
    const { edges, vertices } = await graph(shop("diagrams/model.mmd"));
    const cmd = (q: string) => mermaidId("cmd", q);
    const evt = (q: string) => mermaidId("evt", q);
    expect(vertices.get(mermaidId("agg", "Ordering.Order"))?.text).toBe("Order (aggregate)");
    expect(vertices.get(mermaidId("svc", "Notifications.Mailer"))?.text).toBe("Mailer (service)");
    expect(has(edges, cmd("Ordering.PlaceOrder"), mermaidId("agg", "Ordering.Order"), "", "normal")).toBe(true);
    expect(has(edges, mermaidId("agg", "Payments.Payment"), evt("Payments.PaymentDeclined"), "", "normal")).toBe(true);
    expect(has(edges, evt("Ordering.OrderCancelled"), mermaidId("prj", "Ordering.CustomerOrders"), "", "normal")).toBe(true);
    expect(has(edges, evt("Payments.PaymentDeclined"), mermaidId("wfl", "Ordering.Checkout"), "", "normal")).toBe(true);
    expect(has(edges, evt("Ordering.OrderPlaced"), mermaidId("wfl", "Notifications.CustomerNotifications"), "", "normal")).toBe(true);
    expect(has(edges, mermaidId("wfl", "Ordering.Checkout"), cmd("Inventory.ReleaseStock"), "sends", "dotted")).toBe(true);
    // Every command of the model is handled by exactly one handler in the picture.
    const commands = [...vertices.values()].filter((v) => v.classes.includes("command"));
    expect(commands.length).toBe(10);
    for (const c of commands) expect(edges.filter((e) => e.start === c.id && e.stroke === "normal"), c.id).toHaveLength(1);
  });
});

describe("ids and labels from any text", () => {
  it("parse, stay distinct, and keep the label's text", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), fc.string({ unit: "grapheme", maxLength: 40 }), async (a, b, label) => {
        fc.pre(a !== b);
        const [x, y] = [mermaidId("n", a), mermaidId("n", b)];
        expect(x).not.toBe(y);
        const { edges, vertices } = await graph(`flowchart LR\n  ${x}[${mermaidLabel(label)}]\n  ${x} -.->|${mermaidLabel(label)}| ${y}\n`);
        const oneLine = label.replace(/[\r\n\u2028\u2029]+/g, " ");
        expect(vertices.get(x)?.text.trim()).toBe(oneLine.trim());
        expect(edges).toHaveLength(1);
        expect(edges[0]?.text.trim()).toBe(oneLine.trim());
      }),
      { numRuns: 150 },
    );
  });
});

describe("Mermaid directives in model text", () => {
  // Mermaid reads `%%{…}%%` anywhere in a diagram, in a label or a comment too, as configuration.
  const DIRECTIVES = ["%%{wrap}%%", "%%{init: {'theme':'dark', 'flowchart': {'curve': 'step'}}}%%", "x %%{ init: { 'securityLevel': 'loose' } }%% y"];

  it("in a label configure nothing and stay in the label", async () => {
    for (const label of DIRECTIVES) {
      const text = `flowchart LR\n  a[${mermaidLabel(label)}] -->|${mermaidLabel(label)}| b\n`;
      expect((await mermaid.parse(text)).config, label).toEqual({});
      const { edges, vertices } = await graph(text);
      expect(vertices.get("a")?.text).toBe(label);
      expect(edges[0]?.text).toBe(label);
    }
  });

  it("in a file name configure nothing from the header comment", async () => {
    for (const name of DIRECTIVES) {
      const shop = readModel(join(repoRoot, "examples/shop"));
      const files = generateFrom(shop.map((f) => (f.path.endsWith("ordering.eda") ? { ...f, path: `${name}.eda` } : f))).filter((f) => f.path.endsWith(".mmd"));
      expect(files.length).toBeGreaterThan(1);
      for (const f of files) expect((await mermaid.parse(f.content)).config, `${f.path} from ${name}`).toEqual({});
    }
  });
});
