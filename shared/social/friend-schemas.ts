/** API shapes of the friend service (CONTRACT §3), shared by the routes and the OpenAPI document. */
import { z } from "@hono/zod-openapi";
import { friendRequests, friends } from "../db/schema.ts";
import { createSelectSchema, describe, idSchema, unixMillis, viewOf } from "../http/schemas.ts";
import { profileSchema } from "../users/schemas.ts";
import { labelSchema } from "../validation.ts";
import { MAX_REMARK_CHARS, MAX_REQUEST_MESSAGE_CHARS } from "./field-sizes.ts";
import { pageQueryShape, pageSchemaOf } from "./pagination.ts";

export const requestMessageSchema = labelSchema(0, MAX_REQUEST_MESSAGE_CHARS, { lineBreaks: true })
  .openapi({ example: "Hi, it's Alice from the climbing club" });

/** `handleResult` of friend and group requests, documented. */
export const handleResultDoc = describe<number>("1 pending · 2 passed · 3 refused · 4 cancelled");

/** A friend request; `pairKey` is the table's uniqueness device, not for clients. */
export const friendRequestSchema = createSelectSchema(friendRequests, {
  id: () => idSchema,
  userId: () => idSchema.openapi({ description: "the one asked" }),
  reqUid: () => idSchema.openapi({ description: "the one asking" }),
  reqTime: unixMillis,
  handleResult: handleResultDoc,
  handledAt: unixMillis,
}).omit({ pairKey: true }).openapi("FriendRequest");

const friendColumnsSchema = createSelectSchema(friends, {
  id: () => idSchema,
  userId: () => idSchema,
  friendUid: () => idSchema,
  remark: () => labelSchema(0, MAX_REMARK_CHARS).openapi({ description: "empty clears it" }),
  addSource: describe<number>("1 friend request"),
  createdAt: unixMillis,
});

/** `userId`'s friendship towards `friendUid`, with the friend's profile. */
export const friendSchema = friendColumnsSchema
  .omit({ userId: true })
  .extend(profileSchema.shape)
  .openapi("Friend");

export const toFriendRequest = viewOf(friendRequestSchema);
export const toFriend = viewOf(friendSchema);

export const askFriendBodySchema = z.object({
  userUid: idSchema.openapi({ description: "the user to ask" }),
  reqMsg: requestMessageSchema.optional(),
}).openapi("AskFriendBody");

export const handleFriendRequestBodySchema = z.object({
  friendReqId: idSchema,
  handleResult: z.number().int().min(2, "must be 2 (pass), 3 (refuse) or 4 (cancel)")
    .max(4, "must be 2 (pass), 3 (refuse) or 4 (cancel)")
    .openapi({
      description: "2 pass · 3 refuse (the asked user) · 4 cancel (the asker)",
      example: 2,
    }),
  handleMsg: requestMessageSchema.optional(),
}).openapi("HandleFriendRequestBody");

export const friendRequestsQuerySchema = z.object({
  direction: z.enum(["received", "sent"]).default("received")
    .openapi({ description: "received (default): asked of me · sent: asked by me" }),
  ...pageQueryShape,
});

export const friendsQuerySchema = z.object(pageQueryShape);

export const remarkBodySchema = friendColumnsSchema
  .pick({ friendUid: true, remark: true })
  .openapi("FriendRemarkBody");

export const friendUidBodySchema = friendColumnsSchema.pick({ friendUid: true }).openapi(
  "FriendUidBody",
);

export const friendRequestPageSchema = pageSchemaOf(friendRequestSchema, "FriendRequestPage");
export const friendPageSchema = pageSchemaOf(friendSchema, "FriendPage");

export type AskFriendBody = z.infer<typeof askFriendBodySchema>;
export type HandleFriendRequestBody = z.infer<typeof handleFriendRequestBodySchema>;
export type FriendRequestsQuery = z.infer<typeof friendRequestsQuerySchema>;
export type FriendsQuery = z.infer<typeof friendsQuerySchema>;
export type RemarkBody = z.infer<typeof remarkBodySchema>;
export type FriendUidBody = z.infer<typeof friendUidBodySchema>;
export type FriendRequest = z.infer<typeof friendRequestSchema>;
export type Friend = z.infer<typeof friendSchema>;
