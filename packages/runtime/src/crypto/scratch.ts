/**
 * A buffer reused by every call of the cipher, grown to the largest need, and its views
 * (`subarray`s) kept by range: a seal or open of a message of a size seen before allocates no
 * view (each `subarray` is an object, and messages of one event type are mostly one size).
 */
export class Scratch {
  private buffer: Buffer;
  private readonly views = new Map<number, Buffer>();

  constructor(bytes: number) {
    this.buffer = Buffer.alloc(bytes);
  }

  /** The buffer, at least `bytes` long (growing it drops the old one's views). */
  grow(bytes: number): Buffer {
    if (this.buffer.length < bytes) {
      this.buffer = Buffer.alloc(2 * bytes);
      this.views.clear();
    }
    return this.buffer;
  }

  /** The bytes [start, end) of the buffer as it is now. */
  view(start: number, end: number): Buffer {
    if (end >= LIMIT || start >= LIMIT) return this.buffer.subarray(start, end);
    const range = start * LIMIT + end; // a small integer: the Map hashes it fastest
    let view = this.views.get(range);
    if (view === undefined) {
      view = this.buffer.subarray(start, end);
      if (this.views.size < MAX_VIEWS) this.views.set(range, view);
    }
    return view;
  }
}

/** Views kept per buffer (sizes seen); beyond it, views are made per call. */
const MAX_VIEWS = 1024;
/** Ranges from this offset on are not kept (their key would leave the small integers). */
const LIMIT = 0x8000;
