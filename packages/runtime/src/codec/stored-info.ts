/**
 * What an upcast's `compute` hook may read of the stored event besides its data: the facts the
 * store recorded (when, where, which message). The codec builds it once per event it upcasts and
 * gives the same object to every step of the chain.
 */

/**
 * The stored event an upcast reads, without its payload: the second parameter of every
 * `compute` hook (`(event, stored) => value`). Read-only: the same object goes to every hook of
 * a chain (v1 → v2 → v3).
 *
 * A caller that reads a bare payload, not a stored event (`eda corpus check` on a sample without
 * its stored facts), has no time or stream to give: reading such a fact throws
 * `StoredInfoUnavailableError`, which `deserialize` reports as `upcast-failed`. No fact is
 * ever made up.
 */
export interface StoredEventInfo {
  /** The event type. */
  readonly type: string;
  /** The version the event was stored at (the first of the chain, not the step's own). */
  readonly version: number;
  readonly messageId: string;
  readonly stream: string;
  /** 0-based position in its stream. */
  readonly position: number;
  /** 1-based position in the whole store. */
  readonly globalPosition: number;
  /** ISO-8601 UTC timestamp of when the store recorded the event. */
  readonly time: string;
  readonly correlationId: string;
  /** The message that caused this one; null for one that started a conversation. */
  readonly causationId: string | null;
  /** The event's free metadata, as stored. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** The facts of a `StoredEventInfo` a caller may leave out (all but the type and version). */
export type StoredFact = Exclude<keyof StoredEventInfo, "type" | "version">;

const FACTS: readonly StoredFact[] = ["messageId", "stream", "position", "globalPosition", "time", "correlationId", "causationId", "metadata"];

/** A getter per fact that throws: the prototype of a bare payload's info. */
const UNAVAILABLE: object = Object.freeze(
  Object.defineProperties(
    {},
    Object.fromEntries(
      FACTS.map((fact) => [
        fact,
        {
          enumerable: false,
          get: () => {
            throw new StoredInfoUnavailableError(fact);
          },
        },
      ]),
    ),
  ),
);

/** A hook read a fact of the stored event that the caller of `deserialize` did not give. */
export class StoredInfoUnavailableError extends Error {
  override readonly name = "StoredInfoUnavailableError";
  constructor(readonly fact: StoredFact) {
    super(`the hook read stored.${fact}, which deserialize was not given (a payload without its stored event's ${fact})`);
  }
}

/** The stored event as `deserialize` received it: the facts present, any of them possibly absent. */
export type StoredFacts = { readonly type: string; readonly version: number } & { readonly [K in StoredFact]?: StoredEventInfo[K] | undefined };

/**
 * The info of `stored` for hooks, frozen, its metadata a frozen copy. A fact that is undefined (a
 * bare payload) becomes a getter that throws, so only a hook that needs it fails, and says why.
 */
export function storedInfo(stored: StoredFacts): StoredEventInfo {
  const { type, version, messageId, stream, position, globalPosition, time, correlationId, causationId, metadata } = stored;
  if (
    messageId !== undefined &&
    stream !== undefined &&
    position !== undefined &&
    globalPosition !== undefined &&
    time !== undefined &&
    correlationId !== undefined &&
    causationId !== undefined &&
    metadata !== undefined
  ) {
    // A copy, not the envelope itself: a hook never reaches the raw payload, nor changes what readers after it see.
    return Object.freeze({ type, version, messageId, stream, position, globalPosition, time, correlationId, causationId, metadata: frozenCopy(metadata) });
  }
  // A bare payload (the usual corpus sample): the throwing getters come from one shared prototype.
  if (FACTS.every((fact) => stored[fact] === undefined)) return Object.freeze(Object.assign(Object.create(UNAVAILABLE) as object, { type, version })) as StoredEventInfo;
  const info: Record<string, unknown> = { type, version };
  for (const fact of FACTS) {
    const value = stored[fact];
    if (value !== undefined) info[fact] = fact === "metadata" ? frozenCopy(value as object) : value;
    else
      Object.defineProperty(info, fact, {
        enumerable: false,
        get: () => {
          throw new StoredInfoUnavailableError(fact);
        },
      });
  }
  return Object.freeze(info) as unknown as StoredEventInfo;
}

/**
 * A copy of the metadata frozen at every level, so a hook cannot change the envelope's (which
 * the reader's handlers get next). Plain objects and arrays only, as JSON gives; a loop, not
 * recursion, and a value met twice is copied once.
 */
function frozenCopy<T extends object>(metadata: T): T {
  // The usual metadata is flat: one copy, frozen (the walk below cost a replay 0.5 µs an upcast
  // event). Copied by `Object.assign({}, …)`, not spread: V8 freezes a spread copy on a slow path
  // (0.6 µs for one key, 0.1 µs so).
  if (!Array.isArray(metadata)) {
    const flat = Object.assign({}, metadata) as Record<string, unknown>;
    let nested = false;
    for (const key in flat) if (isPlain(flat[key])) nested = true;
    if (!nested) return Object.freeze(flat) as T;
  }
  const copies = new Map<object, Record<string, unknown>>();
  const pending: Record<string, unknown>[] = [];
  const copyOf = (value: object): object => {
    let copy = copies.get(value);
    if (copy === undefined) {
      copy = (Array.isArray(value) ? [...(value as unknown[])] : Object.assign({}, value)) as Record<string, unknown>;
      copies.set(value, copy);
      pending.push(copy);
    }
    return copy;
  };
  const root = copyOf(metadata);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for (const key of Object.keys(next)) {
      const value = next[key];
      if (isPlain(value)) next[key] = copyOf(value);
    }
    Object.freeze(next);
  }
  return root as T;
}

function isPlain(value: unknown): value is object {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return Array.isArray(value) || proto === Object.prototype || proto === null;
}
