/**
 * The properties' snapshot sees what a bad request could change without adding a row: an UPDATE
 * of a profile, a message's content, a member's role and mute, a block, and any user of the
 * world (each made here through the real API, on purpose, and each must change the snapshot).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../helpers/http.ts";
import { snapshot } from "./snapshot.ts";
import { buildWorld, type World } from "./world.ts";

describe("the property snapshot", () => {
  let world: World;

  beforeAll(async () => {
    world = await buildWorld();
  });

  const changes: [string, (w: World) => [string, string, string, Record<string, unknown>]][] = [
    ["dave's nickname (an UPDATE of a user nobody else sees)", () => [
      "dave",
      "PUT",
      "/v1/user/user",
      { nickname: "Davey" },
    ]],
    ["a message's content (an edit)", (w) => [
      "alice",
      "PUT",
      "/v1/im/chat",
      { conversationId: w.conversationId, msgId: w.msgId, content: "first, edited" },
    ]],
    ["a member's role", (w) => [
      "alice",
      "PUT",
      "/v1/social/group/role",
      { groupId: w.groupId, userId: w.bob.id, roleLevel: 2 },
    ]],
    ["a member's mute", (w) => [
      "alice",
      "PUT",
      "/v1/social/group/mute",
      { groupId: w.groupId, userId: w.bob.id, until: Date.now() + 3_600_000 },
    ]],
    ["carol blocking dave", (w) => ["carol", "POST", "/v1/social/block", { userId: w.dave.id }]],
  ];

  it.each(changes)("changes when %s changes", async (_, change) => {
    const [who, method, path, body] = change(world);
    const before = await snapshot(world);
    const user = world[who as "alice" | "bob" | "carol" | "dave"];
    const answer = await api(method, path, { token: user.token, body });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(await snapshot(world)).not.toEqual(before);
  });
});
