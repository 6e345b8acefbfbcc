/**
 * Presence routes (CONTRACT §3, §4): who holds an open WebSocket right now, answered by the
 * users' UserSession objects themselves; someone who blocks the caller looks offline (§10).
 */
import { z } from "@hono/zod-openapi";
import { listGroupMemberIds } from "../../../shared/db/group-members.ts";
import { idSchema } from "../../../shared/http/schemas.ts";
import { requireMember } from "../../../shared/social/group-access.ts";
import { onlineListSchema } from "../../../shared/protocol/index.ts";
import {
  listFriendsOnline,
  onlineListFor,
  PRESENCE_LIST_LIMIT,
} from "../../user-session/presence.ts";
import { tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";

export const presenceRoutes = createRouter();
const route = tokenRoutes(presenceRoutes, "presence");

route.get("/friends/online", {
  summary: `Which friends hold an open WebSocket (the oldest ${PRESENCE_LIST_LIMIT} friendships)`,
  ok: ["Online map", onlineListSchema],
}, (c) => listFriendsOnline(c.var.db, c.env.USER_SESSION, c.var.userId));

route.get("/group/users/online", {
  summary: "Which members of a group hold an open WebSocket (members only)",
  query: z.object({ groupId: idSchema }),
  ok: ["Online map", onlineListSchema],
  errors: { 403: "Not a member of the group (100006)", 404: "No such group (100005)" },
}, async (c) => {
  const { groupId } = c.req.valid("query");
  await requireMember(c.var.db, groupId, c.var.userId);
  const memberIds = await listGroupMemberIds(c.var.db, groupId);
  return await onlineListFor(c.var.db, c.env.USER_SESSION, c.var.userId, memberIds);
});
