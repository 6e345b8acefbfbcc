// A member who is away when they are removed gets the messages sent before the removal
// counted in their list, as they may read them (history up to the leave point): the catch-up
// answers a former member's position at their leave point.
import { describe, expect, it } from "vitest";
import { chatlog, conversationOf, sendText } from "../helpers/chat.ts";
import { api } from "../helpers/http.ts";
import { addMember, createGroup, quickUser } from "../helpers/social.ts";
import { connect } from "../helpers/ws.ts";

describe("removed while away", () => {
  it("the list counts what the former member may still read", async () => {
    const owner = await quickUser("Owner");
    const leaver = await quickUser("Leaver");
    const group = await createGroup(owner);
    const groupId = group.id as string;
    await addMember(groupId, owner, leaver);
    // The leaver has no socket: the first delivery makes them away.
    await sendText(owner, groupId, "g1", 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await sendText(owner, groupId, "g2", 1);
    await sendText(owner, groupId, "g3", 1);
    const kicked = await api("POST", "/v1/social/group/kick", {
      token: owner.token,
      body: { groupId, userId: leaver.id },
    });
    expect(kicked.status).toBe(200);
    await sendText(owner, groupId, "after", 1);

    // What they may read: up to the leave point.
    const readable = (await chatlog(leaver, { conversationId: groupId })).map((m) => m.content);
    expect(readable).toEqual(["g1", "g2", "g3"]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // The list and session.ready should say so.
    expect(await conversationOf(leaver, groupId)).toMatchObject({
      seq: 3,
      unread: 3,
      lastMsg: { content: "g3" },
    });
    const { socket, ready } = await connect(leaver.token);
    try {
      expect(ready.data.conversations[groupId]).toMatchObject({ seq: 3, unread: 3 });
    } finally {
      socket.close();
    }
  });
});
