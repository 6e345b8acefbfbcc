/** Shapes of `POST /v1/user/logout` and `PUT /v1/user/password` (CONTRACT §9). */
import { z } from "@hono/zod-openapi";
import { passwordSchema } from "./schemas.ts";

export const logoutBodySchema = z.object({
  all: z.boolean().optional().openapi({
    description: "Revoke every token of the user, not only the presented one",
  }),
}).openapi("LogoutBody");

export const changePasswordBodySchema = z.object({
  // Any string up to the limit: a wrong-length old password is just a wrong password.
  oldPassword: z.string().min(1).max(256),
  newPassword: passwordSchema,
}).openapi("ChangePasswordBody");

export type LogoutBody = z.infer<typeof logoutBodySchema>;
export type ChangePasswordBody = z.infer<typeof changePasswordBodySchema>;
