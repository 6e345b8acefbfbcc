/**
 * Telling Durable Object instances apart across evictions and aborts: the instance a stub
 * reaches right now, and the instances that ran their alarm handler (with the name they knew).
 */
import { runInDurableObject } from "cloudflare:test";
import { vi } from "vitest";

/** The live instance behind `stub` (waking it if needed); compare with `toBe`. */
export function instanceOf(stub: DurableObjectStub): Promise<unknown> {
  return runInDurableObject(stub, (instance: unknown) => instance);
}

export interface AlarmRun {
  instance: unknown;
  /** `ctx.id.name` as the instance saw it while its alarm ran. */
  name: string | undefined;
}

/**
 * Records every run of `objectClass`'s alarm handler (the real one still runs). Restore with
 * `vi.restoreAllMocks()`.
 */
export function recordAlarms(
  objectClass: { prototype: { alarm(...args: never[]): Promise<void> } },
): AlarmRun[] {
  const runs: AlarmRun[] = [];
  const original = objectClass.prototype.alarm;
  vi.spyOn(objectClass.prototype, "alarm").mockImplementation(function (this: unknown, ...args) {
    const ctx = (this as { ctx: DurableObjectState }).ctx;
    runs.push({ instance: this, name: ctx.id.name });
    return original.apply(this, args);
  });
  return runs;
}
