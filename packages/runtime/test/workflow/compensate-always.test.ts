/**
 * A compensation registered before its step (`compensateOnFailure`, the model's
 * `compensate always`): it also runs, first, when the step itself fails — its `failOn` event, a
 * rejection, or the run's timeout while the step's outcome is unknown — on every store engine.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { CommandSender, OrchestratedWorkflow } from "../../src/workflow/definition.js";
import { ENGINES } from "../store/support.js";
import { openFlow } from "./support/harness.js";
import { recording, typesOf, type SentRecord } from "./support/messages.js";
import { requestTrip, tripBooking, tripSender, type TripCommand, type TripEvent, type TripStep } from "./support/trip.js";

/** The trip saga with the hotel's cancellation registered before the booking. */
const registeredEarly: OrchestratedWorkflow<TripEvent, TripCommand, "TripRequested", TripStep> = {
  ...tripBooking,
  name: "TripBookingEarly",
  timeoutMs: 60_000,
  steps: tripBooking.steps.map((s) => (s.name === "hotel" ? { ...s, compensateOnFailure: true } : s)),
};

describe.each(ENGINES)("compensation registered before the step, on the %s store", (engine) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function run(failAt: Map<string, number>, swallow: (c: TripCommand) => boolean = () => false) {
    let log: SentRecord[] = [];
    const flow = await openFlow(engine, registeredEarly, (store) => {
      const world = tripSender(store, failAt);
      // A command the world never answers: accepted, but no event ever comes (an unknown outcome).
      const send: CommandSender<TripCommand> = (command, meta) =>
        swallow(command) ? Promise.resolve({ status: "accepted", commandId: meta.messageId, stream: "nowhere", events: [], lastPosition: null, globalPosition: null } as never) : world(command, meta);
      const recorder = recording(send);
      log = recorder.log;
      return recorder.send;
    });
    cleanup.push(() => flow.harness.dispose());
    return { ...flow, log: () => log };
  }

  it("the step's own failure runs its compensation first, then the earlier steps', once each", async () => {
    const { orchestrator, log, store } = await run(new Map([["t1", 2]]));
    await requestTrip(store, "t1");
    await orchestrator.settle();
    expect(typesOf(log())).toEqual(["BookFlight", "BookHotel", "CancelHotel", "CancelFlight", "AbandonTrip"]);
    const instance = await orchestrator.instance("t1");
    expect(instance?.failure).toMatchObject({ reason: "fail-on", step: "hotel" });
    expect(instance?.state).toEqual({ kind: "failed" });
  });

  it("a later step's failure compensates the step as usual, once", async () => {
    const { orchestrator, log, store } = await run(new Map([["t1", 3]]));
    await requestTrip(store, "t1");
    await orchestrator.settle();
    expect(typesOf(log())).toEqual(["BookFlight", "BookHotel", "RentCar", "CancelHotel", "CancelFlight", "AbandonTrip"]);
  });

  it("a step without it is not compensated when it fails itself", async () => {
    const { orchestrator, log, store } = await run(new Map([["t1", 1]]));
    await requestTrip(store, "t1");
    await orchestrator.settle();
    expect(typesOf(log())).toEqual(["BookFlight", "AbandonTrip"]);
  });

  it("a timeout while the step's outcome is unknown runs its compensation; its late event sends nothing more", async () => {
    const { orchestrator, log, store, clock } = await run(new Map(), (c) => c.type === "BookHotel");
    await requestTrip(store, "t1");
    await orchestrator.settle();
    expect(typesOf(log())).toEqual(["BookFlight", "BookHotel"]);
    expect(await orchestrator.tick(clock.advance(60_000))).toBe(1);
    await orchestrator.settle();
    expect(typesOf(log())).toEqual(["BookFlight", "BookHotel", "CancelHotel", "CancelFlight", "AbandonTrip"]);
    expect((await orchestrator.instance("t1"))?.failure).toMatchObject({ reason: "timeout", step: "hotel" });
    // The booking went through after all: the cancellation already sent is not sent again.
    await store.append("Trip-t1-BookHotel", [{ messageId: "late-hotel", type: "HotelBooked", version: 1, correlationId: "conv-t1", causationId: null, payload: { tripId: "t1", hotel: "H-t1" } }], { kind: "any" });
    await orchestrator.settle();
    expect((await orchestrator.instance("t1"))?.lateCompensations).toEqual(["hotel"]);
    expect(typesOf(log()).filter((t) => t === "CancelHotel")).toHaveLength(1);
  });
});
