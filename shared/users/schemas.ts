/** API shapes of the user service (CONTRACT §2), shared by the routes and the OpenAPI document. */
import { z } from "@hono/zod-openapi";
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_BYTES } from "../auth/passwords.ts";
import { utf8ByteLength } from "../text.ts";
import { MAX_NICKNAME_CHARS } from "../social/field-sizes.ts";
import { users } from "../db/schema.ts";
import { createSelectSchema, idSchema, unixMillis, viewOf } from "../http/schemas.ts";
import { labelSchema, urlSchema } from "../validation.ts";

export const phoneSchema = z.string()
  .regex(/^\+?\d{5,20}$/, "must be 5–20 digits with an optional leading +")
  .openapi({ example: "13800000001" });

export const passwordSchema = z.string()
  .refine((value) => {
    const bytes = utf8ByteLength(value);
    return bytes >= MIN_PASSWORD_BYTES && bytes <= MAX_PASSWORD_BYTES;
  }, {
    message:
      `must be ${MIN_PASSWORD_BYTES}–${MAX_PASSWORD_BYTES} UTF-8 bytes (bcrypt ignores anything longer)`,
  })
  .openapi({ example: "correct horse" });

/** A nickname (CONTRACT §15): trimmed, NFC, nothing hidden, something visible. */
export const nicknameSchema = labelSchema(1, MAX_NICKNAME_CHARS).openapi({ example: "Alice" });

export const sexSchema = z.number().int().min(0).max(2)
  .openapi({ description: "0 unknown · 1 male · 2 female", example: 0 });

/** The caller's own view of their account: never the password hash. */
export const userSchema = createSelectSchema(users, {
  id: () => idSchema,
  phone: () => phoneSchema,
  nickname: () => nicknameSchema,
  avatar: () => urlSchema,
  sex: () => sexSchema,
  createdAt: unixMillis,
}).omit({ passwordHash: true, nicknameFolded: true }).openapi("User");

export const registerBodySchema = userSchema
  .pick({ phone: true, nickname: true, sex: true, avatar: true })
  .partial({ sex: true, avatar: true })
  .extend({ password: passwordSchema })
  .openapi("RegisterBody");

export const loginBodySchema = userSchema.pick({ phone: true }).extend({
  // Any string up to the limit: a wrong-length password is just a wrong password at login.
  password: z.string().min(1).max(256),
}).openapi("LoginBody");

export const updateUserBodySchema = userSchema
  .pick({ nickname: true, avatar: true, sex: true })
  .partial()
  .openapi("UpdateUserBody");

export const findUsersQuerySchema = z.object({
  phone: phoneSchema.optional(),
  name: labelSchema(1, MAX_NICKNAME_CHARS).optional(),
  ids: z.string().max(100 * 33, "at most 100 ids").optional()
    .openapi({ description: "comma-separated user ids, at most 100" }),
}).refine((q) => q.phone !== undefined || q.name !== undefined || q.ids !== undefined, {
  message: "one of phone, name or ids is required",
});

/** What anyone may see of another user: never the phone number. */
export const publicUserSchema = userSchema
  .pick({ id: true, nickname: true, avatar: true, sex: true })
  .openapi("PublicUser");

/** The profile fields shown next to a friend or a group member. */
export const profileSchema = userSchema.pick({ nickname: true, avatar: true });

export const toUser = viewOf(userSchema);
export const toPublicUser = viewOf(publicUserSchema);

export const tokenSchema = z.object({
  token: z.string(),
  expire: z.number().int().openapi({ description: "JWT exp, Unix seconds" }),
}).openapi("Token");

export const loginResultSchema = tokenSchema.extend({ user: userSchema }).openapi("LoginResult");

export type RegisterBody = z.infer<typeof registerBodySchema>;
export type LoginBody = z.infer<typeof loginBodySchema>;
export type UpdateUserBody = z.infer<typeof updateUserBodySchema>;
export type FindUsersQuery = z.infer<typeof findUsersQuerySchema>;
export type User = z.infer<typeof userSchema>;
export type PublicUser = z.infer<typeof publicUserSchema>;
