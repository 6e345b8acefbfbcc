/** `/v1/social` block list routes (CONTRACT §10). */
import { z } from "@hono/zod-openapi";
import * as schemas from "../../../shared/social/block-schemas.ts";
import * as blocks from "../../../shared/social/block-service.ts";
import { MAX_BLOCKS_PER_USER } from "../../../shared/limits.ts";
import { actorOf, tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";

export const blockRoutes = createRouter();
const route = tokenRoutes(blockRoutes, "blocks");

route.post("/block", {
  summary: "Block a user: they cannot ask you to be friends or chat with you, and see you offline",
  description: "Idempotent: blocking someone already blocked answers the same. " +
    "The blocked user is not told.",
  body: schemas.blockBodySchema,
  ok: ["Blocked", z.object({})],
  errors: {
    404: "No such user (100005)",
    409: `Already blocking ${MAX_BLOCKS_PER_USER} users (100007)`,
  },
}, (c) => blocks.blockUser(actorOf(c), c.req.valid("json")));

route.delete("/block", {
  summary: "Unblock a user (someone not blocked answers the same)",
  body: schemas.blockBodySchema,
  ok: ["Not blocked", z.object({})],
  errors: { 404: "No such user (100005)" },
}, (c) => blocks.unblockUser(actorOf(c), c.req.valid("json")));

route.get("/blocks", {
  summary: "The users the caller has blocked",
  query: schemas.blocksQuerySchema,
  ok: ["One page, earliest block first", schemas.blockedUserPageSchema],
}, (c) => blocks.listBlockedUsers(actorOf(c), c.req.valid("query")));
