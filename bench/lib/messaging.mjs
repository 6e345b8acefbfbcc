/**
 * Sends a stream of stamped messages and waits for each to reach all of its receivers, with at
 * most `window` messages in flight. A message's latency is send → push on its *last* receiver
 * (for a private chat there is one). Senders are spaced `minGapMs` apart because the app limits
 * each socket to 20 frames/s — hitting that limit would measure the limiter, not delivery.
 */
import { stampContent } from "./delivery.mjs";
import { latencyHistogram, perSecond } from "./stats.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wires every member socket's pushes into `ledger` under the socket's id. */
export function listen(ledger, members) {
  for (const { id, user, socket } of members) {
    socket.onPush = (frame) => ledger.receive(id, frame, user.id);
  }
}

/**
 * `messages[i]` = `{sender: {id, send(content) → Promise<ack>}, receivers: [socketId]}`.
 * Resolves with the last-receiver latency percentiles and delivery throughput.
 */
export async function deliverAll({ ledger, messages, window = 1, minGapMs, timeoutMs, progress }) {
  const lastReceiver = latencyHistogram();
  const acks = latencyHistogram();
  const inFlight = new Map();
  const lastSentAt = new Map();
  let deliveries = 0;
  ledger.onDelivery = (stamp, latencyMs) => {
    deliveries++;
    const entry = inFlight.get(stamp.key);
    if (!entry) return;
    entry.latencyMs = Math.max(entry.latencyMs, latencyMs);
    if (--entry.remaining === 0) entry.arrived();
  };

  async function sendOne({ sender, receivers }) {
    const gap = (lastSentAt.get(sender.id) ?? -Infinity) + minGapMs - performance.now();
    if (gap > 0) await sleep(gap);
    lastSentAt.set(sender.id, performance.now());
    const n = ledger.nextSerial(sender.id);
    const content = stampContent(sender.id, n);
    const key = `${sender.id}:${n}`;
    for (const receiver of receivers) ledger.expect(receiver, key);
    const entry = { remaining: receivers.length, latencyMs: 0, arrived: () => {} };
    const arrived = new Promise((resolve) => (entry.arrived = resolve));
    inFlight.set(key, entry);
    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs, "timeout")));
    // An error frame or a missing ack throws: the run must not pass with refused sends.
    const sentAt = performance.now();
    const acked = sender.send(content).then(() => acks.record(performance.now() - sentAt));
    const [outcome] = await Promise.all([Promise.race([arrived, timedOut]), acked]);
    clearTimeout(timer);
    inFlight.delete(key);
    if (outcome !== "timeout") lastReceiver.record(entry.latencyMs);
    progress?.tick();
  }

  const startedAt = performance.now();
  let next = 0;
  async function lane() {
    while (next < messages.length) await sendOne(messages[next++]);
  }
  await Promise.all(Array.from({ length: Math.min(window, messages.length) }, lane));
  const elapsedMs = performance.now() - startedAt;
  return {
    elapsedMs,
    deliveriesPerSecond: perSecond(deliveries, elapsedMs),
    p50: lastReceiver.at(50),
    p99: lastReceiver.at(99),
    ack: { p50: acks.at(50), p99: acks.at(99) },
  };
}

/**
 * Sends one stamped message from `sender` every `everyMs` until `stop()` says so, each expected
 * by `receivers` (the ledger counts them like any other), and times each send → ack only.
 * Resolves with the ack percentiles.
 */
export async function probeAcks({ ledger, sender, receivers, everyMs, stop }) {
  const acks = latencyHistogram();
  while (!stop()) {
    const n = ledger.nextSerial(sender.id);
    for (const receiver of receivers) ledger.expect(receiver, `${sender.id}:${n}`);
    const sentAt = performance.now();
    await sender.send(stampContent(sender.id, n));
    acks.record(performance.now() - sentAt);
    await sleep(Math.max(0, sentAt + everyMs - performance.now()));
  }
  return { p50: acks.at(50), p99: acks.at(99), count: acks.count };
}

/**
 * Open loop: message i leaves at `i / rate` seconds whatever happened to the earlier ones (a
 * calm group's senders do not wait for the server), so a server that falls behind shows it as
 * late deliveries, not as a slower sender. Waits until every message reached all its receivers,
 * or `timeoutMs` after the last send. Resolves with the last-receiver percentiles, the
 * deliveries, and `elapsedMs`: the offered window (`count / rate`) or, if the last delivery
 * came after it, the time from the first send to that delivery.
 */
export async function deliverAtRate({ ledger, messages, rate, timeoutMs, progress }) {
  const lastReceiver = latencyHistogram();
  const inFlight = new Map();
  let deliveries = 0;
  let lastDeliveryAt = 0;
  let waiting = messages.length;
  let allArrived;
  const arrived = new Promise((resolve) => (allArrived = resolve));
  ledger.onDelivery = (stamp, latencyMs) => {
    deliveries++;
    lastDeliveryAt = performance.now();
    const entry = inFlight.get(stamp.key);
    if (!entry) return;
    entry.latencyMs = Math.max(entry.latencyMs, latencyMs);
    if (--entry.remaining > 0) return;
    inFlight.delete(stamp.key);
    lastReceiver.record(entry.latencyMs);
    progress?.tick();
    if (--waiting === 0) allArrived();
  };

  const startedAt = performance.now();
  const acks = [];
  for (const [i, { sender, receivers }] of messages.entries()) {
    await sleep(Math.max(0, startedAt + (i * 1000) / rate - performance.now()));
    const n = ledger.nextSerial(sender.id);
    const key = `${sender.id}:${n}`;
    for (const receiver of receivers) ledger.expect(receiver, key);
    inFlight.set(key, { remaining: receivers.length, latencyMs: 0 });
    const ack = sender.send(stampContent(sender.id, n));
    // Checked below, after the last send: an error frame or a missing ack fails the run.
    ack.catch(() => {});
    acks.push(ack);
  }
  let timer;
  await Promise.race([arrived, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
  await Promise.all(acks);
  const offeredMs = (messages.length * 1000) / rate;
  return {
    deliveries,
    elapsedMs: Math.max(offeredMs, lastDeliveryAt - startedAt),
    p50: lastReceiver.at(50),
    p99: lastReceiver.at(99),
  };
}
