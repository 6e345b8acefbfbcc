/** API shapes of the group service (CONTRACT §4), shared by the routes and the OpenAPI document. */
import { z } from "@hono/zod-openapi";
import { groupMembers, groupRequests, groups } from "../db/schema.ts";
import {
  createSelectSchema,
  describe,
  idSchema,
  unixMillis,
  urlSchema,
  viewOf,
} from "../http/schemas.ts";
import { MAX_MUTE_AHEAD_MS } from "../limits.ts";
import { profileSchema } from "../users/schemas.ts";
import { labelSchema } from "../validation.ts";
import { handleResultDoc, requestMessageSchema } from "./friend-schemas.ts";
import {
  MAX_GROUP_NAME_CHARS,
  MAX_NOTIFICATION_CHARS,
  MIN_GROUP_NAME_CHARS,
} from "./field-sizes.ts";
import { pageQueryShape, pageSchemaOf } from "./pagination.ts";

export const groupNameSchema = labelSchema(MIN_GROUP_NAME_CHARS, MAX_GROUP_NAME_CHARS)
  .openapi({ example: "Climbing club" });

export const notificationSchema = labelSchema(0, MAX_NOTIFICATION_CHARS, { lineBreaks: true })
  .openapi({ example: "Saturday 10:00 at the wall" });

const DAY_MS = 24 * 60 * 60 * 1000;

const joinSourceDoc = describe<number>("1 invited · 2 applied");

export const groupSchema = createSelectSchema(groups, {
  id: () => idSchema,
  name: () => groupNameSchema,
  icon: () => urlSchema,
  status: describe<number>("0 active (dissolved groups are not shown)"),
  creatorUid: () => idSchema,
  isVerify: describe<boolean>("true: joining by application needs a creator's or manager's yes"),
  notification: () => notificationSchema,
  notificationUid: describe<string>("who last set the notification"),
  muteAll: describe<boolean>("true: only the creator and managers may send to the group"),
  createdAt: unixMillis,
}).openapi("Group");

/** A membership with the member's profile. */
export const groupMemberSchema = createSelectSchema(groupMembers, {
  id: () => idSchema,
  groupId: () => idSchema,
  userId: () => idSchema,
  roleLevel: describe<number>("1 creator · 2 manager · 3 member"),
  joinTime: unixMillis,
  joinSource: joinSourceDoc,
  operatorUid: describe<string>("who let them in"),
  muteUntil: describe<number>(
    "Unix ms until which the member may not send; 0, or a time past, means not muted",
  ),
}).extend(profileSchema.shape).openapi("GroupMember");

export const groupRequestSchema = createSelectSchema(groupRequests, {
  id: () => idSchema,
  groupId: () => idSchema,
  reqId: () => idSchema.openapi({ description: "who would join" }),
  reqTime: unixMillis,
  joinSource: joinSourceDoc,
  handleTime: unixMillis,
  handleResult: handleResultDoc,
}).openapi("GroupRequest");

export const toGroup = viewOf(groupSchema);
export const toGroupMember = viewOf(groupMemberSchema);
export const toGroupRequest = viewOf(groupRequestSchema);

export const createGroupBodySchema = groupSchema
  .pick({ name: true, icon: true, isVerify: true, notification: true })
  .partial({ icon: true, isVerify: true, notification: true })
  .openapi("CreateGroupBody");

export const groupIdBodySchema = z.object({ groupId: idSchema }).openapi("GroupIdBody");

/** A group starts with everyone able to send: `muteAll` is set by an update, not at creation. */
export const updateGroupBodySchema = z.object({ groupId: idSchema })
  .extend(createGroupBodySchema.partial().shape)
  .extend(groupSchema.pick({ muteAll: true }).partial().shape)
  .openapi("UpdateGroupBody");

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

export const muteMemberBodySchema = z.object({
  groupId: idSchema,
  userId: idSchema,
  until: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).openapi({
    description: "Unix ms when the mute ends: in the future, at most " +
      `${MAX_MUTE_AHEAD_MS / DAY_MS} days ahead; 0 unmutes`,
    example: 1_800_000_000_000,
  }),
}).openapi("MuteMemberBody");

export const groupPageSchema = pageSchemaOf(groupSchema, "GroupPage");
export const groupMemberPageSchema = pageSchemaOf(groupMemberSchema, "GroupMemberPage");
export const groupRequestPageSchema = pageSchemaOf(groupRequestSchema, "GroupRequestPage");

export type CreateGroupBody = z.infer<typeof createGroupBodySchema>;
export type UpdateGroupBody = z.infer<typeof updateGroupBodySchema>;
export type JoinGroupBody = z.infer<typeof joinGroupBodySchema>;
export type HandleGroupRequestBody = z.infer<typeof handleGroupRequestBodySchema>;
export type GroupPageQuery = z.infer<typeof groupPageQuerySchema>;
export type GroupIdBody = z.infer<typeof groupIdBodySchema>;
export type GroupMemberBody = z.infer<typeof groupMemberBodySchema>;
export type SetRoleBody = z.infer<typeof setRoleBodySchema>;
export type MuteMemberBody = z.infer<typeof muteMemberBodySchema>;
export type Group = z.infer<typeof groupSchema>;
export type GroupMember = z.infer<typeof groupMemberSchema>;
export type GroupRequest = z.infer<typeof groupRequestSchema>;
