/**
 * The real state the properties start from (users, a friendship, a group with a pending join
 * request, a conversation with a message), and one valid request per documented route built on
 * it (snapshot.ts reads everything a bad request could change).
 */
import { pairKey } from "../../shared/ids.ts";
import { api, type TestUser, uniquePhone } from "../helpers/http.ts";
import { askFriend, createGroup, makeFriends, quickUser } from "../helpers/social.ts";
import { sendText } from "../helpers/chat.ts";
import { bytesOf, sendMedia, uploaded } from "../helpers/media.ts";
import { vi } from "vitest";

export interface World {
  /** The caller of every request unless a route says otherwise: creator of `groupId`. */
  alice: TestUser;
  /** Alice's friend and a plain member of the group. */
  bob: TestUser;
  /** Has asked Alice for friendship (pending) and applied to the group (pending). */
  carol: TestUser;
  /** Knows nobody; has a group of their own and invited Bob into it (pending). */
  dave: TestUser;
  groupId: string;
  friendReqId: string;
  groupReqId: string;
  /** Dave's pending invitation of Bob. */
  invitationId: string;
  /** Alice and Bob's single chat, with one message in it. */
  conversationId: string;
  /** That message: Alice's. */
  msgId: string;
  /** An image Alice uploaded into that chat and sent. */
  mediaId: string;
}

/** Builds the world through the real API. */
export async function buildWorld(): Promise<World> {
  const [alice, bob, carol, dave] = await Promise.all([
    quickUser("Alice"),
    quickUser("Bob"),
    quickUser("Carol"),
    quickUser("Dave"),
  ]);
  await makeFriends(alice, bob);
  const friendRequest = await askFriend(carol, alice, "hello");
  const group = await createGroup(alice, { isVerify: true });
  const invited = await api("POST", "/v1/social/group/putIn", {
    token: alice.token,
    body: { groupId: group.id, joinSource: 1, inviteeUid: bob.id },
  });
  const applied = await api("POST", "/v1/social/group/putIn", {
    token: carol.token,
    body: { groupId: group.id, joinSource: 2, reqMsg: "let me in" },
  });
  if (invited.status !== 200 || applied.body.data?.handleResult !== 1) {
    throw new Error(`group setup failed: ${JSON.stringify([invited.body, applied.body])}`);
  }
  const davesGroup = await createGroup(dave);
  const invitation = await api("POST", "/v1/social/group/putIn", {
    token: dave.token,
    body: { groupId: davesGroup.id, joinSource: 1, inviteeUid: bob.id },
  });
  if (invitation.body.data?.status !== 1) {
    throw new Error(`invitation setup failed: ${JSON.stringify(invitation.body)}`);
  }
  const first = await sendText(alice, bob.id, "first");
  await sendText(alice, group.id, "hello group", 1);
  // Deliveries to members without a socket may trail the acks by up to a second (CONTRACT §7.1):
  // the world is built once both messages are in both lists.
  await vi.waitFor(async () => {
    for (const user of [alice, bob]) {
      const list = await api("GET", "/v1/im/conversation", { token: user.token });
      const seqs = [pairKey(alice.id, bob.id), group.id].map((id) =>
        list.body.data.conversationList[id]?.seq
      );
      if (seqs.some((seq) => seq !== 1)) throw new Error(`${user.nickname}'s list: ${seqs}`);
    }
  }, { timeout: 3_000, interval: 50 });
  const conversationId = pairKey(alice.id, bob.id);
  const media = await uploaded(alice, conversationId, bytesOf("image/png"), {
    kind: "image",
    mime: "image/png",
  });
  const sentMedia = await sendMedia(alice, bob.id, 1, { mediaId: media.mediaId });
  if (sentMedia.status !== 200) throw new Error(`media send failed: ${sentMedia.status}`);
  return {
    alice,
    bob,
    carol,
    dave,
    groupId: group.id,
    friendReqId: friendRequest.id,
    groupReqId: applied.body.data.id,
    invitationId: invitation.body.data.id,
    conversationId: pairKey(alice.id, bob.id),
    msgId: first.msgId,
    mediaId: media.mediaId,
  };
}

export interface ValidRequest {
  /** Who sends it; "none" for the routes that need no token. */
  as: "alice" | "bob" | "none";
  /** The path with its parameters filled in (the documented path when it has none). */
  path?: string;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * A request each documented route would accept (they are never sent as they are: the properties
 * send them with one thing broken). A route missing here fails the route walk.
 */
export function validRequests(w: World): Record<string, ValidRequest> {
  const { alice, bob, dave, groupId } = w;
  return {
    "POST /v1/user/register": {
      as: "none",
      body: { phone: uniquePhone(), password: "secret-pass", nickname: "Newcomer", sex: 1 },
    },
    "POST /v1/user/login": { as: "none", body: { phone: alice.phone, password: "secret-pass" } },
    "POST /v1/user/logout": { as: "alice", body: { all: false } },
    "PUT /v1/user/password": {
      as: "alice",
      body: { oldPassword: "secret-pass", newPassword: "another-pass" },
    },
    "GET /v1/user/user": { as: "alice" },
    "PUT /v1/user/user": { as: "alice", body: { nickname: "Alicia", avatar: "", sex: 2 } },
    "GET /v1/user/find": { as: "alice", query: { phone: bob.phone } },
    "POST /v1/social/friend/putIn": { as: "alice", body: { userUid: dave.id, reqMsg: "hi" } },
    "PUT /v1/social/friend/putIn": {
      as: "alice",
      body: { friendReqId: w.friendReqId, handleResult: 2 },
    },
    "GET /v1/social/friend/putIns": { as: "alice", query: { direction: "sent", limit: "10" } },
    "GET /v1/social/friends": { as: "alice", query: { limit: "10" } },
    "PUT /v1/social/friend/remark": { as: "alice", body: { friendUid: bob.id, remark: "B" } },
    "DELETE /v1/social/friend": { as: "alice", body: { friendUid: bob.id } },
    "POST /v1/social/group": {
      as: "alice",
      body: { name: "G", icon: "", isVerify: false, notification: "n" },
    },
    "PUT /v1/social/group": { as: "alice", body: { groupId, name: "G2", isVerify: false } },
    "DELETE /v1/social/group": { as: "alice", body: { groupId } },
    "GET /v1/social/groups": { as: "alice", query: { limit: "10" } },
    "POST /v1/social/group/putIn": {
      as: "alice",
      body: { groupId, joinSource: 1, inviteeUid: dave.id, reqMsg: "join us" },
    },
    "PUT /v1/social/group/putIn": {
      as: "alice",
      body: { groupReqId: w.groupReqId, groupId, handleResult: 2 },
    },
    "GET /v1/social/group/putIns": { as: "alice", query: { groupId, limit: "10" } },
    "GET /v1/social/group/invitations": { as: "bob", query: { limit: "10" } },
    "PUT /v1/social/group/invitation": {
      as: "bob",
      body: { invitationId: w.invitationId, accept: true },
    },
    "GET /v1/social/group/users": { as: "alice", query: { groupId, limit: "10" } },
    "POST /v1/social/group/quit": { as: "bob", body: { groupId } },
    "POST /v1/social/group/kick": { as: "alice", body: { groupId, userId: bob.id } },
    "PUT /v1/social/group/role": { as: "alice", body: { groupId, userId: bob.id, roleLevel: 2 } },
    "PUT /v1/social/group/mute": {
      as: "alice",
      body: { groupId, userId: bob.id, until: Date.now() + 60 * 60 * 1000 },
    },
    "POST /v1/social/block": { as: "alice", body: { userId: dave.id } },
    "DELETE /v1/social/block": { as: "alice", body: { userId: dave.id } },
    "GET /v1/social/blocks": { as: "alice", query: { limit: "10" } },
    "GET /v1/social/friends/online": { as: "alice" },
    "GET /v1/social/group/users/online": { as: "alice", query: { groupId } },
    "GET /v1/im/ws": {
      as: "alice",
      query: { deviceId: "phone-1" },
      headers: { Upgrade: "websocket" },
    },
    "POST /v1/im/setup/conversation": { as: "alice", body: { recvId: bob.id, chatType: 2 } },
    "GET /v1/im/conversation": { as: "alice" },
    "PUT /v1/im/conversation": {
      as: "alice",
      body: { conversationList: { [w.conversationId]: { read: 1, isShow: true } } },
    },
    "GET /v1/im/chatlog": {
      as: "alice",
      query: { conversationId: w.conversationId, afterSeq: "0", count: "10" },
    },
    "GET /v1/im/chatlog/readRecords": {
      as: "alice",
      query: { conversationId: w.conversationId, seq: "1" },
    },
    "POST /v1/im/chat": {
      as: "alice",
      body: {
        chatType: 2,
        recvId: bob.id,
        msg: { mType: 0, content: "hi" },
        clientMsgId: "c-1",
        replyTo: w.msgId,
      },
    },
    "POST /v1/im/chat/recall": {
      as: "alice",
      body: { conversationId: w.conversationId, msgId: w.msgId },
    },
    "PUT /v1/im/chat": {
      as: "alice",
      body: { conversationId: w.conversationId, msgId: w.msgId, content: "first, fixed" },
    },
    "DELETE /v1/im/chatlog": {
      as: "alice",
      body: { conversationId: w.conversationId, msgIds: [w.msgId], upToSeq: 1 },
    },
    "GET /v1/im/chatlog/changes": {
      as: "alice",
      query: { conversationId: w.conversationId, afterChangeSeq: "0", count: "10" },
    },
    "PUT /v1/im/chat/reaction": {
      as: "alice",
      body: { conversationId: w.conversationId, msgId: w.msgId, emoji: "👍" },
    },
    "DELETE /v1/im/chat/reaction": {
      as: "alice",
      body: { conversationId: w.conversationId, msgId: w.msgId, emoji: "👍" },
    },
    "POST /v1/im/chat/pin": {
      as: "alice",
      body: { conversationId: w.conversationId, msgId: w.msgId },
    },
    "DELETE /v1/im/chat/pin": {
      as: "alice",
      body: { conversationId: w.conversationId, msgId: w.msgId },
    },
    "GET /v1/im/chat/pins": { as: "alice", query: { conversationId: w.conversationId } },
    "GET /v1/im/search": { as: "alice", query: { q: "first", conversationId: w.conversationId } },
    "POST /v1/media": {
      as: "alice",
      query: { conversationId: w.conversationId, kind: "image" },
      headers: { "Content-Type": "image/png" },
    },
    "GET /v1/media/{mediaId}": { as: "alice", path: `/v1/media/${w.mediaId}` },
    "GET /v1/media/{mediaId}/url": { as: "alice", path: `/v1/media/${w.mediaId}/url` },
    "GET /v1/push/key": { as: "none" },
    "POST /v1/push/subscription": {
      as: "alice",
      body: {
        endpoint: "https://fcm.googleapis.com/fcm/send/alice-device",
        keys: {
          p256dh:
            "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
          auth: "BTBZMqHH6r4Tts7J_aSIgg",
        },
      },
    },
    "DELETE /v1/push/subscription": {
      as: "alice",
      body: { endpoint: "https://fcm.googleapis.com/fcm/send/alice-device" },
    },
    "GET /v1/push/subscriptions": { as: "alice" },
  };
}
