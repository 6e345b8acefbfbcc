// CONTRACT §15 "Small ones": who read a group message is for current members only — a kicked
// member may still read the history up to their leaving, but not list who is in the group now.
import { describe, expect, it } from "vitest";
import { sendText } from "../helpers/chat.ts";
import { api } from "../helpers/http.ts";
import { addMember, createGroup, quickUser } from "../helpers/social.ts";

describe("GET /v1/im/chatlog/readRecords by a former member", () => {
  it("answers 403 and names no member, also none who joined later", async () => {
    const [owner, kicked, later] = await Promise.all([
      quickUser("Owner"),
      quickUser("Kicked"),
      quickUser("Later"),
    ]);
    const group = await createGroup(owner);
    await addMember(group.id, owner, kicked);
    await sendText(owner, group.id, "before the kick", 1);
    const url = `/v1/im/chatlog/readRecords?conversationId=${group.id}&seq=1`;
    expect((await api("GET", url, { token: kicked.token })).status).toBe(200);

    const kick = await api("POST", "/v1/social/group/kick", {
      token: owner.token,
      body: { groupId: group.id, userId: kicked.id },
    });
    expect(kick.status).toBe(200);
    await addMember(group.id, owner, later);

    const answer = await api("GET", url, { token: kicked.token });
    expect(answer.status, JSON.stringify(answer.body)).toBe(403);
    expect(answer.body).toMatchObject({ code: 100006, data: null });
    // The history itself stays readable to them (CONTRACT §4).
    const history = await api("GET", `/v1/im/chatlog?conversationId=${group.id}`, {
      token: kicked.token,
    });
    expect(history.status).toBe(200);
    expect(history.body.data.list).toHaveLength(1);
  });
});
