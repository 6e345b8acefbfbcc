/** API shapes of group invitations (CONTRACT §15), shared by the routes and the OpenAPI document. */
import { z } from "@hono/zod-openapi";
import { groupInvitations } from "../db/schema.ts";
import { createSelectSchema, describe, idSchema, unixMillis, viewOf } from "../http/schemas.ts";
import { groupRequestSchema } from "./group-schemas.ts";
import { pageQueryShape, pageSchemaOf } from "./pagination.ts";

export const groupInvitationSchema = createSelectSchema(groupInvitations, {
  id: () => idSchema,
  groupId: () => idSchema,
  inviterUid: () => idSchema.openapi({ description: "who invited" }),
  inviteeUid: () => idSchema.openapi({ description: "who is invited: the only one who answers" }),
  createdAt: unixMillis,
  status: describe<number>("1 pending · 2 accepted · 3 declined · 4 cancelled or expired"),
}).omit({ handledAt: true }).openapi("GroupInvitation");

export const toGroupInvitation = viewOf(groupInvitationSchema);

export const answerInvitationBodySchema = z.object({
  invitationId: idSchema,
  accept: z.boolean().openapi({
    description: "true joins (as the invite would have), false declines",
  }),
}).openapi("AnswerInvitationBody");

/**
 * The answer to an invitation: the invitation as it is now, and — when accepted — the join it
 * made, passed (`handleResult: 2`, a member now) or pending a creator's or manager's yes (1).
 */
export const invitationAnswerSchema = z.object({
  invitation: groupInvitationSchema,
  request: groupRequestSchema.nullable(),
}).openapi("InvitationAnswer");

export const invitationsQuerySchema = z.object(pageQueryShape);

export const groupInvitationPageSchema = pageSchemaOf(groupInvitationSchema, "GroupInvitationPage");

export type GroupInvitation = z.infer<typeof groupInvitationSchema>;
export type AnswerInvitationBody = z.infer<typeof answerInvitationBodySchema>;
export type InvitationAnswer = z.infer<typeof invitationAnswerSchema>;
