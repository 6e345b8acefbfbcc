/** API shapes of the group service (CONTRACT §4), shared by the routes and the OpenAPI document. */
import { z } from "@hono/zod-openapi";
import { characters, idSchema, urlSchema } from "../http/schemas.ts";
import { requestMessageSchema } from "./friend-schemas.ts";
import { MAX_GROUP_NAME_CHARS, MAX_NOTIFICATION_CHARS, MIN_GROUP_NAME_CHARS } from "./limits.ts";
import { pageQueryShape, pageSchemaOf } from "./pagination.ts";

export const groupNameSchema = characters(MIN_GROUP_NAME_CHARS, MAX_GROUP_NAME_CHARS)
  .refine((value) => value.trim() !== "", { message: "must not be blank" })
  .openapi({ example: "Climbing club" });

export const notificationSchema = characters(0, MAX_NOTIFICATION_CHARS)
  .openapi({ example: "Saturday 10:00 at the wall" });

const isVerifySchema = z.boolean()
  .openapi({ description: "true: joining by application needs a creator's or manager's yes" });

export const createGroupBodySchema = z.object({
  name: groupNameSchema,
  icon: urlSchema.optional(),
  isVerify: isVerifySchema.optional(),
  notification: notificationSchema.optional(),
}).openapi("CreateGroupBody");

export const updateGroupBodySchema = z.object({
  groupId: idSchema,
  name: groupNameSchema.optional(),
  icon: urlSchema.optional(),
  isVerify: isVerifySchema.optional(),
  notification: notificationSchema.optional(),
}).openapi("UpdateGroupBody");

export const groupIdBodySchema = z.object({ groupId: idSchema }).openapi("GroupIdBody");

export const joinGroupBodySchema = z.object({
  groupId: idSchema,
  joinSource: z.number().int().min(1, "must be 1 (invite) or 2 (apply)")
    .max(2, "must be 1 (invite) or 2 (apply)")
    .openapi({ description: "1 invite `inviteeUid` · 2 apply for yourself", example: 2 }),
  reqMsg: requestMessageSchema.optional(),
  inviteeUid: idSchema.optional().openapi({ description: "required with joinSource 1" }),
}).refine((body) => body.joinSource !== 1 || body.inviteeUid !== undefined, {
  message: "is required when joinSource is 1 (invite)",
  path: ["inviteeUid"],
}).openapi("JoinGroupBody");

export const handleGroupRequestBodySchema = z.object({
  groupReqId: idSchema,
  groupId: idSchema,
  handleResult: z.number().int().min(2, "must be 2 (pass) or 3 (refuse)")
    .max(3, "must be 2 (pass) or 3 (refuse)")
    .openapi({ description: "2 pass · 3 refuse", example: 2 }),
}).openapi("HandleGroupRequestBody");

export const groupPageQuerySchema = z.object({ groupId: idSchema, ...pageQueryShape });
export const groupsQuerySchema = z.object(pageQueryShape);

export const groupMemberBodySchema = z.object({
  groupId: idSchema,
  userId: idSchema,
}).openapi("GroupMemberBody");

export const setRoleBodySchema = z.object({
  groupId: idSchema,
  userId: idSchema,
  roleLevel: z.number().int().min(1, "must be 1 (transfer ownership), 2 or 3")
    .max(3, "must be 1 (transfer ownership), 2 or 3")
    .openapi({ description: "2 manager · 3 member · 1 transfers ownership", example: 2 }),
}).openapi("SetRoleBody");

export const groupSchema = z.object({
  id: idSchema,
  name: z.string(),
  icon: z.string(),
  status: z.number().int().openapi({ description: "0 active (dissolved groups are not shown)" }),
  creatorUid: idSchema,
  groupType: z.number().int(),
  isVerify: z.boolean(),
  notification: z.string(),
  notificationUid: z.string().openapi({ description: "who last set the notification" }),
  memberCount: z.number().int(),
  createdAt: z.number().int().openapi({ description: "Unix milliseconds" }),
}).openapi("Group");

export const groupMemberSchema = z.object({
  id: idSchema,
  groupId: idSchema,
  userId: idSchema,
  nickname: z.string(),
  avatar: z.string(),
  roleLevel: z.number().int().openapi({ description: "1 creator · 2 manager · 3 member" }),
  joinTime: z.number().int().openapi({ description: "Unix milliseconds" }),
  joinSource: z.number().int().openapi({ description: "1 invited · 2 applied" }),
  inviterUid: z.string(),
  operatorUid: z.string().openapi({ description: "who let them in" }),
}).openapi("GroupMember");

export const groupRequestSchema = z.object({
  id: idSchema,
  groupId: idSchema,
  reqId: idSchema.openapi({ description: "who would join" }),
  reqMsg: z.string(),
  reqTime: z.number().int().openapi({ description: "Unix milliseconds" }),
  joinSource: z.number().int().openapi({ description: "1 invited · 2 applied" }),
  inviterUid: z.string(),
  handleUid: z.string(),
  handleTime: z.number().int().nullable().openapi({ description: "Unix milliseconds" }),
  handleResult: z.number().int().openapi({
    description: "1 pending · 2 passed · 3 refused · 4 cancelled",
  }),
}).openapi("GroupRequest");

export const groupPageSchema = pageSchemaOf(groupSchema, "GroupPage");
export const groupMemberPageSchema = pageSchemaOf(groupMemberSchema, "GroupMemberPage");
export const groupRequestPageSchema = pageSchemaOf(groupRequestSchema, "GroupRequestPage");

export type CreateGroupBody = z.infer<typeof createGroupBodySchema>;
export type UpdateGroupBody = z.infer<typeof updateGroupBodySchema>;
export type JoinGroupBody = z.infer<typeof joinGroupBodySchema>;
export type HandleGroupRequestBody = z.infer<typeof handleGroupRequestBodySchema>;
export type GroupPageQuery = z.infer<typeof groupPageQuerySchema>;
export type GroupMemberBody = z.infer<typeof groupMemberBodySchema>;
export type SetRoleBody = z.infer<typeof setRoleBodySchema>;
export type Group = z.infer<typeof groupSchema>;
export type GroupMember = z.infer<typeof groupMemberSchema>;
export type GroupRequest = z.infer<typeof groupRequestSchema>;
