/**
 * The NOTIFY after an append (`HeadAnnouncer`): one statement at a time, the appends that end
 * meanwhile announced together with the highest position, a failed NOTIFY neither thrown nor
 * the end of the announcements.
 */
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { HeadAnnouncer } from "../../src/store/postgres-announce.js";

/** A pool whose queries wait until the test lets them answer (or fail). */
function heldPool() {
  const sent: { values: unknown[]; answer: (error?: Error) => void }[] = [];
  const pool = {
    query: (config: { values: unknown[] }) =>
      new Promise<void>((resolve, reject) => sent.push({ values: config.values, answer: (error) => (error === undefined ? resolve() : reject(error)) })),
  } as unknown as pg.Pool;
  return { pool, sent };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("HeadAnnouncer", () => {
  it("sends one NOTIFY at a time, then one for every append that ended meanwhile, with the highest position", async () => {
    const { pool, sent } = heldPool();
    const announcer = new HeadAnnouncer(pool);
    announcer.announce(3);
    announcer.announce(5);
    announcer.announce(4);
    expect(sent.map((s) => s.values)).toEqual([["eda_events", "3"]]);
    sent[0]!.answer();
    await tick();
    expect(sent.map((s) => s.values[1])).toEqual(["3", "5"]);
    // A lower position than one announced adds nothing.
    announcer.announce(2);
    sent[1]!.answer();
    await announcer.settled();
    expect(sent).toHaveLength(2);
    // Nor when nothing is under way; the next higher one is sent.
    announcer.announce(4);
    expect(sent).toHaveLength(2);
    announcer.announce(6);
    expect(sent.map((s) => s.values[1])).toEqual(["3", "5", "6"]);
    sent[2]!.answer();
    await announcer.settled();
  });

  it("goes on after a failed NOTIFY, which it does not throw", async () => {
    const { pool, sent } = heldPool();
    const announcer = new HeadAnnouncer(pool);
    announcer.announce(1);
    announcer.announce(2);
    sent[0]!.answer(new Error("connection terminated"));
    await tick();
    expect(sent.map((s) => s.values[1])).toEqual(["1", "2"]);
    sent[1]!.answer();
    await announcer.settled();
    announcer.announce(7);
    expect(sent.map((s) => s.values[1])).toEqual(["1", "2", "7"]);
    sent[2]!.answer();
    await announcer.settled();
  });
});
