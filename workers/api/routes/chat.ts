/** `/v1/im` over HTTP — conversations, history, read records, send (CONTRACT §5). */
import { z } from "@hono/zod-openapi";
import * as schemas from "../../../shared/chat/schemas.ts";
import * as changeSchemas from "../../../shared/chat/change-schemas.ts";
import { askConversation } from "../../../shared/chat/conversation-asks.ts";
import * as chat from "../../../shared/chat/service.ts";
import { CONVERSATION_LIST_LIMIT } from "../../../shared/limits.ts";
import { tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";

export const chatRoutes = createRouter();
const route = tokenRoutes(chatRoutes, "chat");
const refusals = {
  403: "Not a friend / member of this conversation (100006)",
  404: "No such group or message (100005)",
};
const messageRefusals = {
  403: "Not allowed: not the sender (or a group's creator or manager), too late, muted, " +
    "blocked, or not a member (100006)",
  404: "No such message in this conversation, or not one you may read (100005)",
  409: "Edit of a recalled message (100007)",
};

route.post("/setup/conversation", {
  summary: "Put a conversation in your list before its first message",
  body: schemas.setupBodySchema,
  ok: ["The conversation", schemas.conversationSchema],
  errors: refusals,
}, (c) => chat.setupConversation(c.env, c.var.userId, c.req.valid("json")));

route.get("/conversation", {
  summary: "Your conversations with seq, read, unread and the last message",
  ok: [
    "Up to 1000 most recently active conversations",
    z.object({
      userId: z.string(),
      conversationList: z.record(z.string(), schemas.conversationSchema),
    }),
  ],
}, async (c) => {
  const userId = c.var.userId;
  const conversationList = await chat.listConversations(c.env, userId, CONVERSATION_LIST_LIMIT);
  return { userId, conversationList };
});

route.put("/conversation", {
  summary: "Mark conversations read up to a seq (never back) and show or hide them",
  body: schemas.updateConversationsBodySchema,
  ok: ["Updated", z.object({})],
  errors: refusals,
}, async (c) => {
  await chat.updateConversations(c.env, c.var.userId, c.req.valid("json").conversationList);
  return {};
});

route.get("/chatlog", {
  summary: "History in ascending seq: after afterSeq, before beforeSeq, or the newest",
  query: schemas.chatlogQuerySchema,
  ok: ["Messages", z.object({ list: z.array(schemas.chatLogSchema) })],
  errors: refusals,
}, async (c) => {
  const { conversationId, ...query } = c.req.valid("query");
  return { list: await askConversation(c.env, conversationId, c.var.userId, "history", query) };
});

route.get("/chatlog/readRecords", {
  summary: "Which current members (other than the sender) have read a message",
  query: schemas.readRecordsQuerySchema,
  ok: ["Readers", schemas.readRecordsSchema],
  errors: refusals,
}, (c) => {
  const { conversationId, seq } = c.req.valid("query");
  return askConversation(c.env, conversationId, c.var.userId, "readRecords", { seq });
});

route.post("/chat", {
  summary: "Send a message (idempotent per clientMsgId); 200 means stored",
  body: schemas.sendBodySchema,
  ok: ["Stored", schemas.sendAckSchema],
  errors: refusals,
}, (c) => {
  const { clientMsgId, ...outgoing } = c.req.valid("json");
  return chat.sendMessage(c.env, c.var.userId, outgoing, clientMsgId);
});

route.post("/chat/recall", {
  summary: "Recall a message: its sender within 2 minutes, a group's creator or managers any time",
  description: "Idempotent. Every member socket gets a `recall` push, in order with the " +
    "conversation's other pushes; the message keeps its seq with status 1 and empty content.",
  body: schemas.recallBodySchema,
  ok: ["The recall (the same for a repeat)", changeSchemas.recallSchema],
  errors: messageRefusals,
}, (c) => {
  const { conversationId, msgId } = c.req.valid("json");
  return askConversation(c.env, conversationId, c.var.userId, "recall", { msgId });
});

route.put("/chat", {
  summary: "Edit your own text message within 24 hours",
  description: "Idempotent: a repeat with the same clientEditId, or the same text again, answers " +
    "with the message as it is and changes nothing. Every member socket gets an `edit` push " +
    "with the whole message, in order with the conversation's other pushes.",
  body: schemas.editBodySchema,
  ok: ["The message as it is now, with the change's seq", changeSchemas.editedMessageSchema],
  errors: messageRefusals,
}, (c) => {
  const { conversationId, msgId, content, clientEditId } = c.req.valid("json");
  const edit = { msgId, content, key: clientEditId };
  return askConversation(c.env, conversationId, c.var.userId, "edit", edit);
});

route.delete("/chatlog", {
  summary: "Delete for me: hide messages from your own chatlog and sync",
  description: "By id (at most 100) and/or everything up to a seq. Nobody else is affected; " +
    "your own sockets get `chatlog.deleted`.",
  body: schemas.deleteChatlogBodySchema,
  ok: ["Hidden", z.object({})],
  errors: refusals,
}, async (c) => {
  await chat.deleteForMe(c.env, c.var.userId, c.req.valid("json"));
  return {};
});

route.get("/chatlog/changes", {
  summary: "Recalls and edits after a change seq, as the pushes a live socket got",
  description: "Each conversation numbers its recalls and edits 1, 2, 3 …; a client keeps the " +
    "last it applied and asks from there after a reconnect (docs/lifecycle.md).",
  query: schemas.changesQuerySchema,
  ok: ["Changes in change order, and where they stop", changeSchemas.messageChangesSchema],
  errors: refusals,
}, (c) => {
  const { conversationId, afterChangeSeq, count } = c.req.valid("query");
  const afterChange = afterChangeSeq;
  return askConversation(c.env, conversationId, c.var.userId, "changes", { afterChange, count });
});
