/**
 * A saga of four steps — book a flight, a hotel, a car, then charge the card — with a world of
 * plain functions behind `runService`. The world fails the step the trip asks it to fail.
 */
import { reject } from "../../../src/pipeline/command-types.js";
import { runService, type ServiceHandler } from "../../../src/pipeline/run-service.js";
import type { EventStore } from "../../../src/store/event-store.js";
import type { CommandSender, OrchestratedWorkflow } from "../../../src/workflow/definition.js";
import { idsFrom, messageCodec, type M } from "./messages.js";

type Trip = { tripId: string };

export type TripEvent =
  | M<"TripRequested", Trip & { budget: number }>
  | M<"FlightBooked", Trip & { flight: string }>
  | M<"FlightUnavailable", Trip>
  | M<"HotelBooked", Trip & { hotel: string }>
  | M<"HotelFull", Trip>
  | M<"CarRented", Trip & { car: string }>
  | M<"NoCarAvailable", Trip>
  | M<"CardCharged", Trip & { amount: number }>
  | M<"CardDeclined", Trip>
  | M<"FlightCancelled", Trip>
  | M<"HotelCancelled", Trip>
  | M<"CarReturned", Trip>
  | M<"TripConfirmed", Trip & { flight: string; hotel: string; car: string; amount: number }>
  | M<"TripAbandoned", Trip & { reason: string; step: string }>;

export type TripCommand =
  | M<"BookFlight", Trip>
  | M<"BookHotel", Trip>
  | M<"RentCar", Trip>
  | M<"ChargeCard", Trip & { amount: number }>
  | M<"CancelFlight", Trip>
  | M<"CancelHotel", Trip>
  | M<"ReturnCar", Trip>
  | M<"ConfirmTrip", Trip & { flight: string; hotel: string; car: string; amount: number }>
  | M<"AbandonTrip", Trip & { reason: string; step: string }>;

export type TripStep = "flight" | "hotel" | "car" | "payment";

/** The four-step saga. */
export const tripBooking: OrchestratedWorkflow<TripEvent, TripCommand, "TripRequested", TripStep> = {
  name: "TripBooking",
  start: "TripRequested",
  correlate: (data) => data.tripId,
  steps: [
    {
      name: "flight",
      send: (ctx) => ({ type: "BookFlight", data: { tripId: ctx.correlation } }),
      awaits: "FlightBooked",
      failOn: "FlightUnavailable",
      compensate: (ctx) => ({ type: "CancelFlight", data: { tripId: ctx.correlation } }),
    },
    {
      name: "hotel",
      send: (ctx) => ({ type: "BookHotel", data: { tripId: ctx.correlation } }),
      awaits: "HotelBooked",
      failOn: "HotelFull",
      compensate: (ctx) => ({ type: "CancelHotel", data: { tripId: ctx.correlation } }),
    },
    {
      name: "car",
      send: (ctx) => ({ type: "RentCar", data: { tripId: ctx.correlation } }),
      awaits: "CarRented",
      failOn: "NoCarAvailable",
      compensate: (ctx) => ({ type: "ReturnCar", data: { tripId: ctx.correlation } }),
    },
    {
      name: "payment",
      send: (ctx) => ({ type: "ChargeCard", data: { tripId: ctx.correlation, amount: ctx.start.budget } }),
      awaits: "CardCharged",
      failOn: "CardDeclined",
    },
  ],
  onComplete: (ctx) => ({
    type: "ConfirmTrip",
    data: {
      tripId: ctx.correlation,
      flight: ctx.awaited("FlightBooked").flight,
      hotel: ctx.awaited("HotelBooked").hotel,
      car: ctx.awaited("CarRented").car,
      amount: ctx.awaited("CardCharged").amount,
    },
  }),
  onFail: (ctx) => ({
    type: "AbandonTrip",
    data: { tripId: ctx.correlation, reason: ctx.failure?.reason ?? "unknown", step: ctx.failure?.step ?? "unknown" },
  }),
};

/** What the world does for each command: the step number it books (1…4), and its success and failure events. */
const BOOKINGS: Record<string, { step: number; ok: (t: string) => TripEvent; fail: (t: string) => TripEvent }> = {
  BookFlight: { step: 1, ok: (tripId) => ({ type: "FlightBooked", data: { tripId, flight: `AF-${tripId}` } }), fail: (tripId) => ({ type: "FlightUnavailable", data: { tripId } }) },
  BookHotel: { step: 2, ok: (tripId) => ({ type: "HotelBooked", data: { tripId, hotel: `H-${tripId}` } }), fail: (tripId) => ({ type: "HotelFull", data: { tripId } }) },
  RentCar: { step: 3, ok: (tripId) => ({ type: "CarRented", data: { tripId, car: `C-${tripId}` } }), fail: (tripId) => ({ type: "NoCarAvailable", data: { tripId } }) },
  ChargeCard: { step: 4, ok: (tripId) => ({ type: "CardCharged", data: { tripId, amount: 500 } }), fail: (tripId) => ({ type: "CardDeclined", data: { tripId } }) },
};

const UNDO: Record<string, (tripId: string) => TripEvent> = {
  CancelFlight: (tripId) => ({ type: "FlightCancelled", data: { tripId } }),
  CancelHotel: (tripId) => ({ type: "HotelCancelled", data: { tripId } }),
  ReturnCar: (tripId) => ({ type: "CarReturned", data: { tripId } }),
};

/** The world: `failAt` maps a trip to the step (1…4) that fails for it. */
export function tripWorld(failAt: ReadonlyMap<string, number>): ServiceHandler<TripCommand, TripEvent, string> {
  return {
    name: "TripWorld",
    streamOf: (c) => `Trip-${c.data.tripId}-${c.type}`,
    handle(c) {
      const { tripId } = c.data;
      const booking = BOOKINGS[c.type];
      if (booking !== undefined) return [failAt.get(tripId) === booking.step ? booking.fail(tripId) : booking.ok(tripId)];
      if (c.type === "ConfirmTrip") return [{ type: "TripConfirmed", data: c.data }];
      if (c.type === "AbandonTrip") return [{ type: "TripAbandoned", data: c.data }];
      const undo = UNDO[c.type];
      return undo === undefined ? reject(`unknown command ${c.type}`) : [undo(tripId)];
    },
  };
}

/** The world behind a sender. */
export function tripSender(store: EventStore, failAt: ReadonlyMap<string, number>): CommandSender<TripCommand> {
  const world = tripWorld(failAt);
  const codec = messageCodec<TripEvent>();
  return (command, meta) =>
    runService(store, world, codec, { ...meta, payload: command }, { newId: idsFrom(meta.messageId) });
}

/** Appends `TripRequested` for a trip (the start event). */
export async function requestTrip(store: EventStore, tripId: string, budget = 500): Promise<void> {
  const event = { type: "TripRequested", data: { tripId, budget } };
  await store.append(`Trip-${tripId}`, [
    { messageId: `requested-${tripId}`, type: event.type, version: 1, correlationId: `conv-${tripId}`, causationId: null, payload: event.data },
  ], { kind: "any" });
}
