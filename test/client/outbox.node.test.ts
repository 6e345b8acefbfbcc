/**
 * The outbox's pacing on a fake clock (the pure part; test/client/outbox.test.ts has the real
 * Worker): at most `burst` frames at once and `perSecond` after, at most `inFlight` unanswered,
 * plain requests before queued sends, nothing from the outbox before openOutbox(), and a 100008
 * waited out for its Retry-After and written again under the same id.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { retryWhenLimited } from "../../shared/client/catch-up.ts";
import { ChatError } from "../../shared/client/index.ts";
import { Outbox } from "../../shared/client/outbox.ts";
import { FramePacer } from "../../shared/client/pacer.ts";

interface Written {
  at: number;
  id: string;
  method: string;
}

function outbox(pace = { perSecond: 20, burst: 20, inFlight: 40 }) {
  const written: Written[] = [];
  const box = new Outbox(new FramePacer(pace), 15_000, (text) => {
    const frame = JSON.parse(text);
    written.push({ at: Date.now(), id: frame.id, method: frame.method });
  });
  const ack = (id: string) => box.answer({ frameType: 2, id, data: { id } });
  return { box, written, ack };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => vi.useRealTimers());

describe("Outbox", () => {
  it("writes a burst of 20, then 20 a second: the server's bucket (40, 20/s) never runs dry", () => {
    const { box, written, ack } = outbox();
    for (let i = 0; i < 120; i++) box.add("conversation.chat", { i }, true, `s${i}`);
    box.connect();
    box.openOutbox();
    expect(written).toHaveLength(20);
    for (let step = 0; step < 200 && written.length < 120; step++) {
      for (const { id } of written) ack(id);
      vi.advanceTimersByTime(50);
    }
    expect(written.map((w) => w.id)).toEqual(Array.from({ length: 120 }, (_, i) => `s${i}`));
    // The server's per-socket bucket (CONTRACT §6: 20/s sustained, bursts of 40) over the writes.
    let tokens = 40;
    let last = 0;
    for (const { at } of written) {
      tokens = Math.min(40, tokens + ((at - last) / 1000) * 20) - 1;
      last = at;
      expect(tokens).toBeGreaterThanOrEqual(0);
    }
    // 120 frames: 20 at once, 100 at 20/s.
    expect(written.at(-1)!.at).toBeGreaterThanOrEqual(5000);
  });

  it("never has more than inFlight frames unanswered", () => {
    const { box, written, ack } = outbox({ perSecond: 1000, burst: 1000, inFlight: 40 });
    for (let i = 0; i < 100; i++) box.add("conversation.chat", {}, true, `s${i}`);
    box.connect();
    box.openOutbox();
    vi.advanceTimersByTime(5000);
    expect(written).toHaveLength(40);
    ack("s0");
    expect(written).toHaveLength(41);
  });

  it("writes plain requests at once and the outbox only after openOutbox()", () => {
    const { box, written } = outbox();
    box.add("conversation.chat", {}, true, "send");
    box.connect();
    box.add("conversation.sync", { conversations: {} }, false, "sync").catch(() => {});
    expect(written.map((w) => w.id)).toEqual(["sync"]);
    box.openOutbox();
    expect(written.map((w) => w.id)).toEqual(["sync", "send"]);
  });

  it("waits out a 100008 for its Retry-After, then writes the same id again", async () => {
    const { box, written, ack } = outbox();
    const sent = box.add("conversation.chat", {}, true, "s1");
    box.connect();
    box.openOutbox();
    const refusal = { code: 100008, msg: "too many messages, retry in 2 s" };
    box.answer({ frameType: 9, id: "s1", data: refusal });
    vi.advanceTimersByTime(1999);
    expect(written).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(written.map((w) => w.id)).toEqual(["s1", "s1"]);
    ack("s1");
    await expect(sent).resolves.toEqual({ id: "s1" });
  });

  it("rejects on a final refusal, with the error frame's code", async () => {
    const { box } = outbox();
    const sent = box.add("conversation.chat", {}, true, "s1");
    box.connect();
    box.openOutbox();
    box.answer({ frameType: 9, id: "s1", data: { code: 100006, msg: "not friends" } });
    await expect(sent).rejects.toMatchObject({ code: 100006, retryAfter: undefined });
  });

  it("keeps outbox entries across a disconnect and fails plain requests", async () => {
    const { box, written } = outbox();
    box.connect();
    box.openOutbox();
    box.add("conversation.chat", {}, true, "send");
    const plain = box.add("user.online", {}, false, "online");
    box.disconnect(false);
    await expect(plain).rejects.toBeInstanceOf(ChatError);
    box.connect();
    box.openOutbox();
    expect(written.map((w) => w.id)).toEqual(["send", "online", "send"]);
  });

  it("gives the same promise for the same id: a caller's retry is one entry", () => {
    const { box } = outbox();
    const first = box.add("conversation.chat", {}, true, "draft");
    expect(box.add("conversation.chat", {}, true, "draft")).toBe(first);
    expect(box.waiting()).toHaveLength(1);
  });
});

describe("retryWhenLimited", () => {
  it("calls again after a 100008's wait, and gives any other refusal back at once", async () => {
    const calls: number[] = [];
    const answers = [new ChatError(100008, "sync budget, retry in 3 s", 0, "x", 3), "ok"];
    const done = retryWhenLimited(() => {
      calls.push(Date.now());
      const next = answers.shift();
      return next instanceof ChatError ? Promise.reject(next) : Promise.resolve(next);
    });
    await vi.advanceTimersByTimeAsync(3000);
    await expect(done).resolves.toBe("ok");
    expect(calls).toEqual([0, 3000]);
    const refused = retryWhenLimited(() => Promise.reject(new ChatError(100006, "no")));
    await expect(refused).rejects.toMatchObject({ code: 100006 });
  });
});
