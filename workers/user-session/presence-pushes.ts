/**
 * `presence` pushes (CONTRACT §14): when a user's first socket opens or last one closes, their
 * friends' open sockets are told — at most once per PRESENCE_PUSH_INTERVAL_MS, and never friends
 * the user blocks (to them the user always looks offline). Changes within the interval are
 * coalesced: when it ends, the state at that moment is pushed if it differs from the last one
 * pushed, so a reconnect within 10 s pushes nothing and friends never keep a stale state.
 * Best effort: the timer is memory only, and `friends/online` stays the truth.
 */
import { blockedAmong } from "../../shared/db/blocks.ts";
import { createDb } from "../../shared/db/client.ts";
import { listFriendIds } from "../../shared/db/friends.ts";
import { PRESENCE_PUSH_INTERVAL_MS } from "../../shared/limits.ts";
import { pushToSessions } from "../social-pushes.ts";
import { PRESENCE_LIST_LIMIT } from "./presence.ts";
import { openSockets } from "./sockets.ts";

/** Tells the friends of `userId` (those they do not block) that they are `online` or not. */
async function tellFriends(env: Env, userId: string, online: boolean): Promise<void> {
  const db = createDb(env);
  const friendIds = await listFriendIds(db, userId, PRESENCE_LIST_LIMIT);
  const blocked = await blockedAmong(db, userId, friendIds);
  const receivers = friendIds.filter((id) => !blocked.has(id));
  await pushToSessions(env.USER_SESSION, receivers, {
    method: "presence",
    data: { userId, online },
  });
}

export class PresencePushes {
  /** What friends were last told, and when (-Infinity: nothing yet since the object woke). */
  private told: boolean | undefined;
  private toldAt = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** Whose presence: the session's user (its object's name). */
  private readonly userId: string;

  constructor(private readonly ctx: DurableObjectState, private readonly env: Env) {
    this.userId = ctx.id.name!;
  }

  /** After an upgrade: friends hear of the socket when it is the only one. Returns `answer`. */
  afterUpgrade(answer: Response): Response {
    if (answer.status === 101 && openSockets(this.ctx).length === 1) this.changed();
    return answer;
  }

  /** A socket closed (or may have, after the alarm): friends hear of it when none is left. */
  socketClosed(): void {
    if (openSockets(this.ctx).length === 0) this.changed();
  }

  /** The first socket opened or the last one closed. */
  private changed(): void {
    if (this.timer !== undefined) return; // the interval's end reads the state then
    const wait = this.toldAt + PRESENCE_PUSH_INTERVAL_MS - Date.now();
    if (wait <= 0) {
      this.tell();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tell();
    }, wait);
  }

  private tell(): void {
    const online = openSockets(this.ctx).length > 0;
    if (online === this.told) return;
    this.told = online;
    this.toldAt = Date.now();
    tellFriends(this.env, this.userId, online).catch((error: unknown) =>
      console.warn(`presence of ${this.userId} not pushed:`, error)
    );
  }
}
