/** `/v1/im` reactions and pinned messages (CONTRACT §13). */
import { z } from "@hono/zod-openapi";
import { askConversation } from "../../../shared/chat/conversation-asks.ts";
import * as schemas from "../../../shared/chat/reaction-schemas.ts";
import { chatLogSchema } from "../../../shared/chat/schemas.ts";
import { pinChangeSchema, reactionChangeSchema } from "../../../shared/chat/change-schemas.ts";
import { tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";

export const reactionRoutes = createRouter();
const route = tokenRoutes(reactionRoutes, "chat");
const reactionRefusals = {
  403: "Not a member of this conversation (a former member neither) (100006)",
  404: "No such message in this conversation, or not one you may read (100005)",
  409: "A recalled message, or 20 different emoji on it already (100007)",
};
const pinRefusals = {
  403: "Not one of a single chat's pair, nor a group's creator or manager (100006)",
  404: "No such message in this conversation, or not one you may read (100005)",
  409: "50 messages pinned already, or a recalled message (100007)",
};

const reactionChange = "Every member socket gets a `reaction` push: a change with its change " +
  "seq, in order with the conversation's other pushes (docs/features.md).";

route.put("/chat/reaction", {
  summary: "React to a message with one emoji (idempotent)",
  description: reactionChange,
  body: schemas.reactionBodySchema,
  ok: ["The reaction as it stands", reactionChangeSchema],
  errors: reactionRefusals,
}, (c) => {
  const { conversationId, msgId, emoji } = c.req.valid("json");
  return askConversation(c.env, conversationId, c.var.userId, "react", { msgId, emoji, on: true });
});

route.delete("/chat/reaction", {
  summary: "Take your reaction back (idempotent)",
  description: reactionChange,
  body: schemas.reactionBodySchema,
  ok: ["The reaction as it stands", reactionChangeSchema],
  errors: reactionRefusals,
}, (c) => {
  const { conversationId, msgId, emoji } = c.req.valid("json");
  const reaction = { msgId, emoji, on: false };
  return askConversation(c.env, conversationId, c.var.userId, "react", reaction);
});

const pinChange = "Every member socket gets a `pin` push: a change with its change seq.";

route.post("/chat/pin", {
  summary: "Pin a message (idempotent): a single chat's pair, a group's creator and managers",
  description: pinChange,
  body: schemas.pinBodySchema,
  ok: ["The pin as it stands", pinChangeSchema],
  errors: pinRefusals,
}, (c) => {
  const { conversationId, msgId } = c.req.valid("json");
  return askConversation(c.env, conversationId, c.var.userId, "pin", { msgId, pinned: true });
});

route.delete("/chat/pin", {
  summary: "Unpin a message (idempotent)",
  description: pinChange,
  body: schemas.pinBodySchema,
  ok: ["The pin as it stands", pinChangeSchema],
  errors: pinRefusals,
}, (c) => {
  const { conversationId, msgId } = c.req.valid("json");
  return askConversation(c.env, conversationId, c.var.userId, "pin", { msgId, pinned: false });
});

route.get("/chat/pins", {
  summary: "The conversation's pinned messages, newest pin first",
  query: schemas.pinsQuerySchema,
  ok: ["Pinned messages", z.object({ list: z.array(chatLogSchema) })],
  errors: { 403: "Not a member (100006)", 404: "No such group (100005)" },
}, async (c) => {
  const { conversationId } = c.req.valid("query");
  return { list: await askConversation(c.env, conversationId, c.var.userId, "pins", null) };
});
