import { describe, expect, it } from "vitest";
import { SerialQueues } from "../../workers/user-session/serial-queues.ts";

/** A promise the test resolves by hand, so no timing is involved. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe("SerialQueues", () => {
  it("runs one key's tasks in the order they were queued, each after the last finished", async () => {
    const queues = new SerialQueues();
    const log: string[] = [];
    const first = gate();
    const a = queues.run("socket", async () => {
      log.push("a start");
      await first.opened;
      log.push("a end");
    });
    const b = queues.run("socket", () => {
      log.push("b");
      return Promise.resolve();
    });
    await Promise.resolve();
    expect(log).toEqual(["a start"]);
    first.open();
    await Promise.all([a, b]);
    expect(log).toEqual(["a start", "a end", "b"]);
  });

  it("does not hold one key's tasks behind another's", async () => {
    const queues = new SerialQueues();
    const log: string[] = [];
    const stuck = gate();
    const slow = queues.run("phone", async () => {
      await stuck.opened;
      log.push("phone");
    });
    await queues.run("laptop", () => {
      log.push("laptop");
      return Promise.resolve();
    });
    expect(log).toEqual(["laptop"]);
    stuck.open();
    await slow;
    expect(log).toEqual(["laptop", "phone"]);
  });
});

describe("SerialQueues bound", () => {
  it("refuses a task once `bound` tasks of that key are waiting or running", async () => {
    const queues = new SerialQueues(2);
    const stuck = gate();
    const running = queues.run("socket", () => stuck.opened);
    const waiting = queues.run("socket", () => Promise.resolve());
    expect(queues.size("socket")).toBe(2);
    expect(queues.run("socket", () => Promise.resolve())).toBe(false);
    // Other keys have their own room.
    expect(queues.run("other", () => Promise.resolve())).not.toBe(false);
    stuck.open();
    await Promise.all([running, waiting]);
    expect(queues.size("socket")).toBe(0);
    expect(queues.run("socket", () => Promise.resolve())).not.toBe(false);
  });
});
