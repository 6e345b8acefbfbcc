/** `/v1/social/group/putIn(s)` — apply, invite, handle and list join requests (CONTRACT §4). */
import { ok } from "../../../shared/envelope.ts";
import {
  groupPageQuerySchema,
  groupRequestPageSchema,
  groupRequestSchema,
  handleGroupRequestBodySchema,
  joinGroupBodySchema,
} from "../../../shared/social/group-schemas.ts";
import {
  handleJoinRequest,
  listJoinRequests,
  requestToJoin,
} from "../../../shared/social/group-join-service.ts";
import { actorOf, tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";

const route = tokenRoutes("groups");

const join = route.post("/group/putIn", {
  summary: "Apply to join (joinSource 2) or invite someone (joinSource 1)",
  description: "The joiner is in at once (handleResult 2) when the group has isVerify false or a " +
    "creator/manager invites; otherwise a pending request (handleResult 1) is made, or the " +
    "pending one returned.",
  body: joinGroupBodySchema,
  ok: ["The join request, passed or pending", groupRequestSchema],
  errors: {
    403: "Inviting into a group the caller is not a member of (100006)",
    404: "No such group, or no such invitee (100005)",
    409: "Already a member, or the group is full (100007)",
  },
});

const handle = route.put("/group/putIn", {
  summary: "Pass or refuse a pending join request (creator or manager)",
  body: handleGroupRequestBodySchema,
  ok: ["The handled request", groupRequestSchema],
  errors: {
    403: "Not a member, or a plain member (100006)",
    404: "No such group or request (100005)",
    409: "Already handled, or the group is full (100007)",
  },
});

const list = route.get("/group/putIns", {
  summary: "A group's pending join requests (creator or manager)",
  query: groupPageQuerySchema,
  ok: ["One page, oldest first", groupRequestPageSchema],
  errors: { 403: "Not a member, or a plain member (100006)", 404: "No such group (100005)" },
});

export const groupRequestRoutes = createRouter()
  .openapi(join, async (c) => c.json(ok(await requestToJoin(actorOf(c), c.req.valid("json"))), 200))
  .openapi(handle, async (c) => {
    return c.json(ok(await handleJoinRequest(actorOf(c), c.req.valid("json"))), 200);
  })
  .openapi(list, async (c) => {
    return c.json(ok(await listJoinRequests(actorOf(c), c.req.valid("query"))), 200);
  });
