/**
 * `/v1/social` group routes (CONTRACT §4): the group itself and the caller's groups here, join
 * requests in group-requests.ts, members in group-members.ts, who is online in presence.ts.
 */
import { z } from "@hono/zod-openapi";
import { ok } from "../../../shared/envelope.ts";
import {
  createGroupBodySchema,
  groupIdBodySchema,
  groupPageSchema,
  groupSchema,
  groupsQuerySchema,
  updateGroupBodySchema,
} from "../../../shared/social/group-schemas.ts";
import {
  createGroup,
  dissolveGroup,
  listMyGroups,
  updateGroup,
} from "../../../shared/social/group-service.ts";
import { actorOf, tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";
import { groupMemberRoutes } from "./group-members.ts";
import { groupRequestRoutes } from "./group-requests.ts";

const route = tokenRoutes("groups");

const create = route.post("/group", {
  summary: "Create a group; the caller becomes its creator (roleLevel 1)",
  body: createGroupBodySchema,
  ok: ["The new group", groupSchema],
});

const update = route.put("/group", {
  summary: "Update name, icon, isVerify or notification (creator or manager)",
  body: updateGroupBodySchema,
  ok: ["The updated group", groupSchema],
  errors: {
    403: "Not a member, or a plain member (100006)",
    404: "No such group, or dissolved (100005)",
  },
});

const dissolve = route.delete("/group", {
  summary: "Dissolve a group (creator only): members removed, pending requests cancelled",
  body: groupIdBodySchema,
  ok: ["Dissolved", z.object({})],
  errors: {
    403: "Not the creator (100006)",
    404: "No such group, or already dissolved (100005)",
  },
});

const mine = route.get("/groups", {
  summary: "The groups the caller is a member of",
  query: groupsQuerySchema,
  ok: ["One page, in the order the caller joined", groupPageSchema],
});

export const groupRoutes = createRouter()
  .openapi(create, async (c) => c.json(ok(await createGroup(actorOf(c), c.req.valid("json"))), 200))
  .openapi(update, async (c) => c.json(ok(await updateGroup(actorOf(c), c.req.valid("json"))), 200))
  .openapi(dissolve, async (c) => {
    return c.json(ok(await dissolveGroup(actorOf(c), c.req.valid("json"))), 200);
  })
  .openapi(mine, async (c) => c.json(ok(await listMyGroups(actorOf(c), c.req.valid("query"))), 200))
  .route("/", groupRequestRoutes)
  .route("/", groupMemberRoutes);
