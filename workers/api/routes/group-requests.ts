/** `/v1/social/group/putIn(s)` — apply, invite, handle and list join requests (CONTRACT §4). */
import * as joins from "../../../shared/social/group-join-service.ts";
import * as schemas from "../../../shared/social/group-schemas.ts";
import { actorOf, tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";

export const groupRequestRoutes = createRouter();
const route = tokenRoutes(groupRequestRoutes, "groups");

route.post("/group/putIn", {
  summary: "Apply to join (joinSource 2) or invite someone (joinSource 1)",
  description: "The joiner is in at once (handleResult 2) when the group has isVerify false or a " +
    "creator/manager invites; otherwise a pending request (handleResult 1) is made, or the " +
    "pending one returned.",
  body: schemas.joinGroupBodySchema,
  ok: ["The join request, passed or pending", schemas.groupRequestSchema],
  errors: {
    403: "Inviting into a group the caller is not a member of (100006)",
    404: "No such group, or no such invitee (100005)",
    409: "Already a member, or the group is full (100007)",
  },
}, (c) => joins.requestToJoin(actorOf(c), c.req.valid("json")));

route.put("/group/putIn", {
  summary: "Pass or refuse a pending join request (creator or manager)",
  body: schemas.handleGroupRequestBodySchema,
  ok: ["The handled request", schemas.groupRequestSchema],
  errors: {
    403: "Not a member, or a plain member (100006)",
    404: "No such group or request (100005)",
    409: "Already handled, or the group is full (100007)",
  },
}, (c) => joins.handleJoinRequest(actorOf(c), c.req.valid("json")));

route.get("/group/putIns", {
  summary: "A group's pending join requests (creator or manager)",
  query: schemas.groupPageQuerySchema,
  ok: ["One page, oldest first", schemas.groupRequestPageSchema],
  errors: { 403: "Not a member, or a plain member (100006)", 404: "No such group (100005)" },
}, (c) => joins.listJoinRequests(actorOf(c), c.req.valid("query")));
