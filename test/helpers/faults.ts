/**
 * Faults injected into the delivery path (Conversation → UserSession `receive` RPC), in one place.
 *
 * The spy identifies the receiving user by the session object's own name (`ctx.id.name`, the
 * object is addressed by `getByName(userId)`), never by the RPC's arguments, and passes the
 * arguments through untouched: it works whatever `receive`'s parameters are.
 */
import { vi } from "vitest";
import { UserSession } from "../../workers/user-session/index.ts";
import type { DeliveryReceipt } from "../../shared/chat/types.ts";

type Receive = (this: UserSession, ...args: unknown[]) => unknown;

/** The user a UserSession instance belongs to (the name it was addressed by). */
function ownerOf(session: UserSession): string | undefined {
  return (session as unknown as { ctx: DurableObjectState }).ctx.id.name;
}

export interface DeliveryFault {
  /** `receive` calls that reached `userId`'s session (failed or not). */
  calls(): number;
  /** Calls that were made to fail. */
  failures(): number;
  /** Lets every later call through. */
  heal(): void;
  /** Removes the spy. */
  restore(): void;
}

/**
 * Makes `userId`'s session refuse deliveries: the first `times` calls (default: all, until
 * `heal()`) throw before the session records anything. `hold`, when given, keeps each failing call
 * in flight until it returns true (a delivery caught mid-way), then fails it.
 */
export function failDeliveriesTo(
  userId: string,
  options: { times?: number; hold?: () => boolean } = {},
): DeliveryFault {
  const original = UserSession.prototype.receive as unknown as Receive;
  let calls = 0;
  let failures = 0;
  let healed = false;
  const spy = vi.spyOn(UserSession.prototype, "receive").mockImplementation(
    function (this: UserSession, ...args: unknown[]) {
      if (ownerOf(this) !== userId) return original.apply(this, args) as DeliveryReceipt;
      calls += 1;
      const fail = !healed && failures < (options.times ?? Infinity);
      if (!fail) return original.apply(this, args) as DeliveryReceipt;
      const refuse = (): never => {
        failures += 1;
        throw new Error(`test fault: ${userId}'s session refuses deliveries`);
      };
      if (options.hold) {
        const held = options.hold;
        // A flag polled from inside the session, so the held call waits on nothing that belongs
        // to the test's own request context. It answers asynchronously, as an RPC may.
        const answer = (async () => {
          while (!held()) await new Promise((resolve) => setTimeout(resolve, 5));
          refuse();
        })();
        return answer as unknown as DeliveryReceipt;
      }
      return refuse();
    },
  );
  return {
    calls: () => calls,
    failures: () => failures,
    heal: () => {
      healed = true;
    },
    restore: () => spy.mockRestore(),
  };
}
