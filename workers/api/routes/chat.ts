/** `/v1/im` over HTTP — conversations, history, read records, send (CONTRACT §5). */
import { z } from "@hono/zod-openapi";
import {
  chatlogQuerySchema,
  chatLogSchema,
  conversationSchema,
  readRecordsQuerySchema,
  readRecordsSchema,
  sendAckSchema,
  sendBodySchema,
  setupBodySchema,
  updateConversationsBodySchema,
} from "../../../shared/chat/schemas.ts";
import {
  chatHistory,
  getReadRecords,
  listConversations,
  sendMessage,
  setupConversation,
  updateConversations,
} from "../../../shared/chat/service.ts";
import { ok } from "../../../shared/envelope.ts";
import { CONVERSATION_LIST_LIMIT } from "../../../shared/limits.ts";
import { tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";

const route = tokenRoutes("chat");
const refusals = {
  403: "Not a friend / member of this conversation (100006)",
  404: "No such group or message (100005)",
};

const setup = route.post("/setup/conversation", {
  summary: "Put a conversation in your list before its first message",
  body: setupBodySchema,
  ok: ["The conversation", conversationSchema],
  errors: refusals,
});

const list = route.get("/conversation", {
  summary: "Your conversations with seq, read, unread and the last message",
  ok: [
    "Up to 1000 most recently active conversations",
    z.object({ userId: z.string(), conversationList: z.record(z.string(), conversationSchema) }),
  ],
});

const update = route.put("/conversation", {
  summary: "Mark conversations read up to a seq (never back) and show or hide them",
  body: updateConversationsBodySchema,
  ok: ["Updated", z.object({})],
  errors: refusals,
});

const chatlog = route.get("/chatlog", {
  summary: "History in ascending seq: after afterSeq, before beforeSeq, or the newest",
  query: chatlogQuerySchema,
  ok: ["Messages", z.object({ list: z.array(chatLogSchema) })],
  errors: refusals,
});

const readRecords = route.get("/chatlog/readRecords", {
  summary: "Which current members (other than the sender) have read a message",
  query: readRecordsQuerySchema,
  ok: ["Readers", readRecordsSchema],
  errors: refusals,
});

const send = route.post("/chat", {
  summary: "Send a message (idempotent per clientMsgId); 200 means stored",
  body: sendBodySchema,
  ok: ["Stored", sendAckSchema],
  errors: refusals,
});

export const chatRoutes = createRouter()
  .openapi(setup, async (c) => {
    const summary = await setupConversation(c.env, c.var.userId, c.req.valid("json"));
    return c.json(ok(summary), 200);
  })
  .openapi(list, async (c) => {
    const userId = c.var.userId;
    const conversationList = await listConversations(c.env, userId, CONVERSATION_LIST_LIMIT);
    return c.json(ok({ userId, conversationList }), 200);
  })
  .openapi(update, async (c) => {
    await updateConversations(c.env, c.var.userId, c.req.valid("json").conversationList);
    return c.json(ok({}), 200);
  })
  .openapi(chatlog, async (c) => {
    const { conversationId, ...query } = c.req.valid("query");
    const list = await chatHistory(c.env, c.var.userId, conversationId, query);
    return c.json(ok({ list }), 200);
  })
  .openapi(readRecords, async (c) => {
    const { conversationId, seq } = c.req.valid("query");
    return c.json(ok(await getReadRecords(c.env, c.var.userId, conversationId, seq)), 200);
  })
  .openapi(send, async (c) => {
    const { clientMsgId, ...outgoing } = c.req.valid("json");
    const ack = await sendMessage(c.env, c.var.userId, outgoing, clientMsgId);
    return c.json(ok(ack), 200);
  });
