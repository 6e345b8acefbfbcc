/** `/v1/im` over HTTP — conversations, history, read records, send (CONTRACT §5). */
import { z } from "@hono/zod-openapi";
import { conversationIdFor, parseConversationId } from "../../../shared/chat/conversation-id.ts";
import {
  chatlogQuerySchema,
  chatLogSchema,
  conversationSchema,
  readRecordsQuerySchema,
  sendAckSchema,
  sendBodySchema,
  setupBodySchema,
  updateConversationsBodySchema,
} from "../../../shared/chat/schemas.ts";
import { ok } from "../../../shared/envelope.ts";
import { NotFoundError } from "../../../shared/errors.ts";
import { errorResponse } from "../../../shared/http/schemas.ts";
import { unwrapOutcome } from "../../../shared/rpc-outcome.ts";
import { conversationObject, sendMessage } from "../../conversation/client.ts";
import { jsonBody, successResponse, tokenRoutes } from "../route-helpers.ts";
import { createRouter } from "../router.ts";

const route = tokenRoutes("chat");
const refusals = {
  403: errorResponse("Not a friend / member of this conversation (100006)"),
  404: errorResponse("No such group or message (100005)"),
};

const setup = route({
  method: "post",
  path: "/setup/conversation",
  summary: "Put a conversation in your list before its first message",
  request: { body: jsonBody(setupBodySchema) },
  responses: { 200: successResponse("The conversation", conversationSchema), ...refusals },
});

const list = route({
  method: "get",
  path: "/conversation",
  summary: "Your conversations with seq, read, unread and the last message",
  responses: {
    200: successResponse(
      "Up to 1000 most recently active conversations",
      z.object({ userId: z.string(), conversationList: z.record(z.string(), conversationSchema) }),
    ),
  },
});

const update = route({
  method: "put",
  path: "/conversation",
  summary: "Mark conversations read up to a seq (never back) and show or hide them",
  request: { body: jsonBody(updateConversationsBodySchema) },
  responses: { 200: successResponse("Updated", z.object({})), ...refusals },
});

const chatlog = route({
  method: "get",
  path: "/chatlog",
  summary: "History in ascending seq: after afterSeq, before beforeSeq, or the newest",
  request: { query: chatlogQuerySchema },
  responses: {
    200: successResponse("Messages", z.object({ list: z.array(chatLogSchema) })),
    ...refusals,
  },
});

const readRecords = route({
  method: "get",
  path: "/chatlog/readRecords",
  summary: "Which current members (other than the sender) have read a message",
  request: { query: readRecordsQuerySchema },
  responses: {
    200: successResponse(
      "Readers",
      z.object({ reads: z.array(z.string()), unReads: z.array(z.string()) }),
    ),
    ...refusals,
  },
});

const send = route({
  method: "post",
  path: "/chat",
  summary: "Send a message (idempotent per clientMsgId); 200 means stored",
  request: { body: jsonBody(sendBodySchema) },
  responses: { 200: successResponse("Stored", sendAckSchema), ...refusals },
});

/** Conversations listed by GET /v1/im/conversation. */
export const CONVERSATION_LIST_LIMIT = 1000;

export const chatRoutes = createRouter()
  .openapi(setup, async (c) => {
    const { recvId, chatType } = c.req.valid("json");
    const userId = c.var.userId;
    const conversationId = conversationIdFor(chatType, userId, recvId);
    const position = unwrapOutcome(
      await conversationObject(c.env, conversationId).position(conversationId, userId),
    );
    const summary = await c.env.USER_SESSION.getByName(userId)
      .openConversation(userId, conversationId, position);
    return c.json(ok(summary), 200);
  })
  .openapi(list, async (c) => {
    const userId = c.var.userId;
    const rows = await c.env.USER_SESSION.getByName(userId).listConversations(
      CONVERSATION_LIST_LIMIT,
    );
    const conversationList = Object.fromEntries(rows.map((row) => [row.conversationId, row]));
    return c.json(ok({ userId, conversationList }), 200);
  })
  .openapi(update, async (c) => {
    const userId = c.var.userId;
    const session = c.env.USER_SESSION.getByName(userId);
    const entries = Object.entries(c.req.valid("json").conversationList);
    for (const [conversationId] of entries) parseConversationId(conversationId);
    for (const [conversationId, change] of entries) {
      if (change.read !== undefined) {
        unwrapOutcome(await session.markConversationRead(userId, conversationId, change.read));
      }
      if (
        change.isShow !== undefined &&
        !await session.setConversationShown(conversationId, change.isShow)
      ) {
        throw new NotFoundError(
          `conversationList.${conversationId}: not in your conversation list`,
        );
      }
    }
    return c.json(ok({}), 200);
  })
  .openapi(chatlog, async (c) => {
    const { conversationId, afterSeq, beforeSeq, count } = c.req.valid("query");
    parseConversationId(conversationId);
    const list = unwrapOutcome(
      await conversationObject(c.env, conversationId).history(conversationId, c.var.userId, {
        afterSeq,
        beforeSeq,
        count,
      }),
    );
    return c.json(ok({ list }), 200);
  })
  .openapi(readRecords, async (c) => {
    const { conversationId, seq } = c.req.valid("query");
    parseConversationId(conversationId);
    const records = unwrapOutcome(
      await conversationObject(c.env, conversationId).readRecords(
        conversationId,
        c.var.userId,
        seq,
      ),
    );
    return c.json(ok(records), 200);
  })
  .openapi(send, async (c) => {
    const { clientMsgId, ...outgoing } = c.req.valid("json");
    const ack = await sendMessage(c.env, c.var.userId, outgoing, clientMsgId);
    return c.json(ok(ack), 200);
  });
