/**
 * The world behind Temporal's trip booking: a booking service that is full for the kinds it is
 * told, and the itinerary. Each reservation is named after the trip, so a test can tell them apart.
 */
import { defineBookings, defineItineraries } from "./generated/trips/services.js";

export type Kind = "car" | "hotel" | "flight";

/** Bookings that fail for the kinds in `full`. */
export function bookings(full: ReadonlySet<Kind>) {
  return defineBookings({
    BookCar: ({ tripId }) => [full.has("car") ? { type: "CarBookingFailed", data: { tripId } } : { type: "CarBooked", data: { tripId, reservation: `car-${tripId}` } }],
    BookHotel: ({ tripId }) => [full.has("hotel") ? { type: "HotelBookingFailed", data: { tripId } } : { type: "HotelBooked", data: { tripId, reservation: `hotel-${tripId}` } }],
    BookFlight: ({ tripId }) => [full.has("flight") ? { type: "FlightBookingFailed", data: { tripId } } : { type: "FlightBooked", data: { tripId, reservation: `flight-${tripId}` } }],
    // Cancelling what was never booked is harmless: the compensation may run before the booking's answer.
    CancelCar: ({ tripId }) => [{ type: "CarCanceled", data: { tripId } }],
    CancelHotel: ({ tripId }) => [{ type: "HotelCanceled", data: { tripId } }],
    CancelFlight: ({ tripId }) => [{ type: "FlightCanceled", data: { tripId } }],
  });
}

export const itineraries = defineItineraries({
  ConfirmTrip: ({ tripId }) => [{ type: "TripConfirmed", data: { tripId } }],
  AbandonTrip: ({ tripId }) => [{ type: "TripAbandoned", data: { tripId } }],
});
