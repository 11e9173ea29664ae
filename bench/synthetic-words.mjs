/**
 * Words and randomness for the synthetic model generator: a seeded PRNG and unique, convention-
 * abiding context names (`NorthParcels`, entity `NorthParcel`).
 *
 * The nouns never end in "ed" (an event would look like a command, a command like an event), are
 * not JavaScript names, and no noun is a query verb, so the checker's naming rules stay quiet.
 */

const QUALIFIERS = [
  "North", "South", "East", "West", "Retail", "Wholesale", "Online", "Partner", "Express", "Premium", "Standard",
  "Regional", "Central", "Digital", "Local", "Global", "Corporate", "Student", "Member", "Guest", "Trade", "Harbour",
];

const NOUNS = [
  ["Order", "Orders"], ["Invoice", "Invoicing"], ["Parcel", "Parcels"], ["Booking", "Bookings"], ["Ticket", "Ticketing"],
  ["Claim", "Claims"], ["Loan", "Lending"], ["Policy", "Policies"], ["Shipment", "Shipping"], ["Subscription", "Subscriptions"],
  ["Account", "Accounts"], ["Payment", "Payments"], ["Refund", "Refunds"], ["Listing", "Listings"], ["Auction", "Auctions"],
  ["Delivery", "Deliveries"], ["Appointment", "Appointments"], ["Enrollment", "Enrollments"], ["Contract", "Contracts"],
  ["Quote", "Quotes"], ["Lease", "Leasing"], ["Voucher", "Vouchers"], ["Donation", "Donations"], ["Permit", "Permits"],
  ["Rental", "Rentals"], ["Trip", "Travel"], ["Admission", "Admissions"], ["Membership", "Memberships"], ["Pallet", "Warehousing"],
  ["Consignment", "Consignments"],
];

/**
 * A small, fast, seeded PRNG (mulberry32) with the helpers the generator needs.
 * @param {number} seed
 */
export function createRandom(seed) {
  let state = seed >>> 0 || 0x9e3779b9;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** @template T @param {readonly T[]} list @returns {T} */
    pick: (list) => list[Math.floor(next() * list.length)],
    /** A shuffled copy (Fisher–Yates). @template T @param {readonly T[]} list @returns {T[]} */
    shuffle: (list) => {
      const copy = [...list];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j], copy[i]];
      }
      return copy;
    },
  };
}

/**
 * `count` distinct context names in a seeded order. Past the 660 qualifier–noun pairs, a round
 * number keeps them unique (`NorthParcels2`).
 * @param {number} count
 * @param {ReturnType<typeof createRandom>} random
 * @returns {{ context: string, entity: string }[]}
 */
export function contextNames(count, random) {
  const pairs = random.shuffle(QUALIFIERS.flatMap((q) => NOUNS.map(([noun, area]) => ({ q, noun, area }))));
  const names = [];
  for (let i = 0; i < count; i++) {
    const { q, noun, area } = pairs[i % pairs.length];
    const round = Math.floor(i / pairs.length);
    const suffix = round === 0 ? "" : String(round + 1);
    names.push({ context: `${q}${area}${suffix}`, entity: `${q}${noun}${suffix}` });
  }
  return names;
}

/** `NorthParcel` → `northParcel`. @param {string} s */
export function lowerFirst(s) {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
