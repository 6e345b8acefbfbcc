/**
 * Telling Durable Object instances apart across evictions and aborts: the instance a stub
 * reaches right now, and the instances that ran their alarm handler (with the name they knew).
 */
import { runInDurableObject } from "cloudflare:test";
import { expect, vi } from "vitest";

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

/**
 * Kills the instance behind `stub` with `ctx.abort()`, after `read` ran against its state in the
 * same turn (so nothing it deferred can run in between); returns what `read` returned. A stub to
 * an aborted object stays broken: reach the next instance through a new one.
 */
export async function abortInstance<T>(
  stub: DurableObjectStub,
  read: (state: DurableObjectState) => T = () => undefined as T,
): Promise<T> {
  let value!: T;
  await expect(runInDurableObject(stub, (_instance, state) => {
    value = read(state);
    state.abort("killed by the test");
  })).rejects.toThrow(/killed by the test/);
  return value;
}
