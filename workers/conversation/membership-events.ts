/**
 * The social service's membership events delivered to Conversation objects, in two steps around
 * the D1 write: before it, the conversation is told a change is coming (`prepare…`, durable: it
 * then re-reads D1 on every request until the change settles); after it, the change is
 * delivered with the same event id, retried a few times. If every delivery fails the change
 * still holds — the conversation keeps re-reading D1 — so the social route answers as usual.
 * One instance per request (the middleware makes it), so the two steps share their event ids.
 */
import { newId, pairKey } from "../../shared/ids.ts";
import type { MembershipEvents } from "../../shared/social/events.ts";

/** Deliveries tried per event, with DELIVERY_PAUSE_MS × attempt between them. */
const DELIVERY_ATTEMPTS = 3;
const DELIVERY_PAUSE_MS = 50;

export function conversationMembershipEvents(env: Env): MembershipEvents {
  /** Conversation id → the event id its coming change was announced with. */
  const prepared = new Map<string, string>();
  // A fresh stub per call: a stub whose call threw may be broken.
  const conversation = (id: string) => env.CONVERSATION.getByName(id);

  async function prepare(conversationId: string): Promise<void> {
    const eventId = newId();
    await conversation(conversationId).prepareMembershipChange(eventId);
    prepared.set(conversationId, eventId);
  }

  async function deliver(conversationId: string): Promise<void> {
    const eventId = prepared.get(conversationId);
    if (eventId === undefined) {
      // Without the announcement a lost event could lapse: a service must prepare first.
      throw new Error(`membership change of ${conversationId} was not prepared before its write`);
    }
    prepared.delete(conversationId);
    for (let attempt = 1;; attempt++) {
      try {
        await conversation(conversationId).membershipChanged(eventId);
        return;
      } catch (error) {
        if (attempt >= DELIVERY_ATTEMPTS) {
          console.error(
            `membership event ${eventId} to ${conversationId} failed ${attempt} times; the ` +
              "conversation re-reads D1 until it settles:",
            error,
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, DELIVERY_PAUSE_MS * attempt));
      }
    }
  }

  return {
    friendshipChanging: (userId, friendId) => prepare(pairKey(userId, friendId)),
    groupMembershipChanging: (groupId) => prepare(groupId),
    friendshipCreated: (userId, friendId) => deliver(pairKey(userId, friendId)),
    friendshipRemoved: (userId, friendId) => deliver(pairKey(userId, friendId)),
    groupMemberJoined: (groupId) => deliver(groupId),
    groupMemberLeft: (groupId) => deliver(groupId),
    groupDissolved: (groupId) => deliver(groupId),
    groupMemberUpdated: (groupId) => deliver(groupId),
    blockChanging: (userId, otherId) => prepare(pairKey(userId, otherId)),
    blockChanged: (userId, otherId) => deliver(pairKey(userId, otherId)),
    groupNoticeChanged: async (notice) => {
      // A notice is kept in the group's row (GET /v1/social/groups): the push is a courtesy to
      // the members online now, so a failure is logged and the update still answers.
      try {
        await conversation(notice.groupId).announceNotice(notice);
      } catch (error) {
        console.error(`group.notice push to ${notice.groupId} failed:`, error);
      }
    },
  };
}
