/**
 * Temporal's trip-booking saga as a cross-package test: the model (`trips.eda`, each step's
 * cancellation registered before it with `compensate always`) is generated, compiled strict with
 * the services (`bookings.ts`), and the generated workflow runs on the runtime's orchestrator on
 * SQLite and PostgreSQL: a failed booking is cancelled too, then the earlier ones in reverse; a
 * booking that never answers is cancelled at the timeout.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { CommandSender, EventStore } from "@eda/runtime";
import { freshStore } from "../../generated/shop-app.js";
import { generateDomain } from "../support.js";
// Types only (erased): the modules are imported once beforeAll has generated the code.
import type * as BookingsModule from "./bookings.js";
import type * as CodecModule from "./generated/codec.js";
import type * as WorkflowsModule from "./generated/trips/workflows.js";

let tscErrors = "";
let world: typeof BookingsModule;
let codecModule: typeof CodecModule;
let workflows: typeof WorkflowsModule;

beforeAll(async () => {
  tscErrors = generateDomain("trip-booking");
  world = await import("./bookings.js");
  codecModule = await import("./generated/codec.js");
  workflows = await import("./generated/trips/workflows.js");
}, 120_000);

it("the generated code and the services compile strict", () => {
  expect(tscErrors).toBe("");
});

const TRIP = "5b7e2c1a-3d4f-4a6b-8c9d-0e1f2a3b4c5d";

describe.each(["sqlite", "postgres"] as const)("the trip saga on %s", (engine) => {
  async function run(full: ReadonlySet<BookingsModule.Kind>, lost: ReadonlySet<string> = new Set()) {
    const runtime = await import("@eda/runtime");
    const { url, drop } = await freshStore(engine);
    const store: EventStore = await runtime.openStore(url);
    const codec = codecModule.createCodec();
    const sent: string[] = [];
    let now = new Date("2026-01-15T09:00:00Z");
    const bookings = world.bookings(full);
    const send: CommandSender = async (command, meta) => {
      sent.push(command.type);
      const envelope = runtime.toCommandEnvelope(command, meta) as never;
      // A booking whose answer is lost: accepted by the transport, no event ever comes.
      if (lost.has(command.type)) return { status: "accepted", commandId: meta.messageId, stream: "lost", events: [], lastPosition: null, globalPosition: null } as never;
      const service = command.type === "ConfirmTrip" || command.type === "AbandonTrip" ? world.itineraries : bookings;
      return runtime.runService(store, service as never, codec as never, envelope);
    };
    const orchestrator = runtime.createOrchestrator(workflows.bookTrip as never, { store, send, clock: () => now, deserialize: (e) => codec.deserialize(e) as never });
    await orchestrator.init();
    await store.append(`Trips.Request-${TRIP}`, [{ messageId: `requested-${TRIP}`, type: "TripRequested", version: 1, correlationId: `trip-${TRIP}`, causationId: null, payload: { tripId: TRIP, city: "Lisbon" } }], { kind: "any" });
    await orchestrator.settle();
    const advance = async (ms: number) => {
      now = new Date(now.getTime() + ms);
      await orchestrator.tick(now);
      await orchestrator.settle();
    };
    const done = async () => {
      await store.close();
      await drop();
    };
    return { sent, orchestrator, advance, done };
  }

  it("books all three, then confirms", async () => {
    const r = await run(new Set());
    try {
      expect(r.sent).toEqual(["BookCar", "BookHotel", "BookFlight", "ConfirmTrip"]);
    } finally {
      await r.done();
    }
  });

  it("a full flight is cancelled too, then the hotel and the car, then the trip is abandoned", async () => {
    const r = await run(new Set(["flight"]));
    try {
      expect(r.sent).toEqual(["BookCar", "BookHotel", "BookFlight", "CancelFlight", "CancelHotel", "CancelCar", "AbandonTrip"]);
      expect((await r.orchestrator.instance(TRIP))?.failure).toMatchObject({ reason: "fail-on", step: "flight" });
    } finally {
      await r.done();
    }
  });

  it("a hotel booking whose answer is lost is cancelled at the timeout, then the car", async () => {
    const r = await run(new Set(), new Set(["BookHotel"]));
    try {
      expect(r.sent).toEqual(["BookCar", "BookHotel"]);
      await r.advance(60 * 60 * 1000);
      expect(r.sent).toEqual(["BookCar", "BookHotel", "CancelHotel", "CancelCar", "AbandonTrip"]);
      expect((await r.orchestrator.instance(TRIP))?.failure).toMatchObject({ reason: "timeout", step: "hotel" });
    } finally {
      await r.done();
    }
  });
});
