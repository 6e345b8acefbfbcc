/**
 * Group notice (CONTRACT §10): a `notification` in PUT /v1/social/group sets `notificationUid`
 * and is pushed as `group.notice` to every member socket — and to no one else.
 */
import { afterEach, describe, expect, it } from "vitest";
import { api, type TestUser } from "../../helpers/http.ts";
import { createGroupCast } from "../../helpers/social.ts";
import { type Frame, SocketPool } from "../../helpers/ws.ts";

const pool = new SocketPool();

afterEach(pool.closeAll);

const isNotice = (frame: Frame) => frame.method === "group.notice";

function updateGroup(actor: TestUser, body: Record<string, unknown>) {
  return api("PUT", "/v1/social/group", { token: actor.token, body });
}

describe("group.notice", () => {
  it("pushes the new notice to every member's socket", async () => {
    const { groupId, creator, manager, member } = await createGroupCast();
    const sockets = [
      await pool.connect(creator),
      await pool.connect(manager),
      await pool.connect(member),
    ];
    const answer = await updateGroup(creator, { groupId, notification: "Saturday at ten" });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.data).toMatchObject({
      notification: "Saturday at ten",
      notificationUid: creator.id,
    });
    for (const socket of sockets) {
      expect(await socket.next(isNotice)).toEqual({
        frameType: 0,
        method: "group.notice",
        data: { groupId, notification: "Saturday at ten", notificationUid: creator.id },
      });
    }
  });

  it("names the manager who set it, and pushes a cleared notice too", async () => {
    const { groupId, manager, member } = await createGroupCast({ notification: "old" });
    const socket = await pool.connect(member);
    await updateGroup(manager, { groupId, notification: "" });
    expect((await socket.next(isNotice)).data).toEqual({
      groupId,
      notification: "",
      notificationUid: manager.id,
    });
  });

  it("pushes nothing to a non-member's socket", async () => {
    const { groupId, creator, member, outsider } = await createGroupCast();
    const [memberSocket, outsiderSocket] = [
      await pool.connect(member),
      await pool.connect(outsider),
    ];
    await updateGroup(creator, { groupId, notification: "members only" });
    await memberSocket.next(isNotice);
    // The member has theirs; give a stray push to the outsider time to arrive too.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(outsiderSocket.unread().filter(isNotice)).toEqual([]);
  });

  it("pushes nothing when the update does not name the notification", async () => {
    const { groupId, creator, member } = await createGroupCast({ notification: "kept" });
    const socket = await pool.connect(member);
    await updateGroup(creator, { groupId, name: "Renamed" });
    await updateGroup(creator, { groupId, notification: "after the rename" });
    // The first notice the member gets is the second update's: the rename pushed none.
    expect((await socket.next(isNotice)).data.notification).toBe("after the rename");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(socket.unread().filter(isNotice)).toEqual([]);
  });

  it("pushes nothing for a refused update", async () => {
    const { groupId, member } = await createGroupCast();
    const socket = await pool.connect(member);
    const answer = await updateGroup(member, { groupId, notification: "not mine to set" });
    expect(answer.status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(socket.unread().filter(isNotice)).toEqual([]);
  });
});
