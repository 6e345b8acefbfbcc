/**
 * `/v1/social` group routes (CONTRACT §4): the group itself and the caller's groups here, join
 * requests in group-requests.ts, members in group-members.ts, who is online in presence.ts.
 */
import { z } from "@hono/zod-openapi";
import * as schemas from "../../../shared/social/group-schemas.ts";
import * as groups from "../../../shared/social/group-service.ts";
import { actorOf, tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";
import { groupMemberRoutes } from "./group-members.ts";
import { groupRequestRoutes } from "./group-requests.ts";

export const groupRoutes = createRouter();
const route = tokenRoutes(groupRoutes, "groups");

route.post("/group", {
  summary: "Create a group; the caller becomes its creator (roleLevel 1)",
  body: schemas.createGroupBodySchema,
  ok: ["The new group", schemas.groupSchema],
}, (c) => groups.createGroup(actorOf(c), c.req.valid("json")));

route.put("/group", {
  summary: "Update name, icon, isVerify, notification or muteAll (creator or manager)",
  description: "A new `notification` is pushed to the members' sockets as `group.notice`.",
  body: schemas.updateGroupBodySchema,
  ok: ["The updated group", schemas.groupSchema],
  errors: {
    403: "Not a member, or a plain member (100006)",
    404: "No such group, or dissolved (100005)",
  },
}, (c) => groups.updateGroup(actorOf(c), c.req.valid("json")));

route.delete("/group", {
  summary: "Dissolve a group (creator only): members removed, pending requests cancelled",
  body: schemas.groupIdBodySchema,
  ok: ["Dissolved", z.object({})],
  errors: {
    403: "Not the creator (100006)",
    404: "No such group, or already dissolved (100005)",
  },
}, (c) => groups.dissolveGroup(actorOf(c), c.req.valid("json")));

route.get("/groups", {
  summary: "The groups the caller is a member of",
  query: schemas.groupsQuerySchema,
  ok: ["One page, in the order the caller joined", schemas.groupPageSchema],
}, (c) => groups.listMyGroups(actorOf(c), c.req.valid("query")));

groupRoutes.route("/", groupRequestRoutes).route("/", groupMemberRoutes);
