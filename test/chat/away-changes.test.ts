// Recalls, edits and mentions made while a member is away are right in the list and
// session.ready after the catch-up.
import { describe, expect, it } from "vitest";
import { conversationOf } from "../helpers/chat.ts";
import { api } from "../helpers/http.ts";
import { addMember, createGroup, quickUser } from "../helpers/social.ts";
import { connect } from "../helpers/ws.ts";

describe("changes while away", () => {
  it("lastMsg, changeSeq and mentionUnread are right after the catch-up", async () => {
    const owner = await quickUser("Owner");
    const bob = await quickUser("Bob");
    const group = await createGroup(owner);
    const groupId = group.id as string;
    await addMember(groupId, owner, bob);
    const send = async (content: string, mentions?: string[]) => {
      const answer = await api("POST", "/v1/im/chat", {
        token: owner.token,
        body: {
          chatType: 1,
          recvId: groupId,
          msg: { mType: 0, content },
          clientMsgId: crypto.randomUUID(),
          ...(mentions && { mentions }),
        },
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body.data;
    };
    await send("one");
    await new Promise((resolve) => setTimeout(resolve, 200)); // Bob is away now
    const m2 = await send("hey @bob", [bob.id]);
    await send("@bob again", [bob.id]);
    const m4 = await send("last");
    const recalled = await api("POST", "/v1/im/chat/recall", {
      token: owner.token,
      body: { conversationId: groupId, msgId: m2.msgId },
    });
    expect(recalled.status, JSON.stringify(recalled.body)).toBe(200);
    const edited = await api("PUT", "/v1/im/chat", {
      token: owner.token,
      body: { conversationId: groupId, msgId: m4.msgId, content: "last, edited" },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);

    const { socket, ready } = await connect(bob.token);
    try {
      expect(ready.data.conversations[groupId]).toMatchObject({
        seq: 4,
        unread: 4,
        mentionUnread: 1,
        changeSeq: 2,
        lastMsg: { content: "last, edited" },
      });
      expect(await conversationOf(bob, groupId)).toMatchObject({
        seq: 4,
        unread: 4,
        mentionUnread: 1,
        changeSeq: 2,
        lastMsg: { content: "last, edited" },
      });
    } finally {
      socket.close();
    }
  });
});
