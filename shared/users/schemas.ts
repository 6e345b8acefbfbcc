/** API shapes of the user service (CONTRACT §2), shared by the routes and the OpenAPI document. */
import { z } from "@hono/zod-openapi";
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_BYTES } from "../auth/passwords.ts";
import { utf8ByteLength } from "../text.ts";
import { characters, idSchema, urlSchema } from "../http/schemas.ts";

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

export const nicknameSchema = characters(1, 24)
  .refine((value) => value.trim() !== "", { message: "must not be blank" })
  .openapi({ example: "Alice" });

export const sexSchema = z.number().int().min(0).max(2)
  .openapi({ description: "0 unknown · 1 male · 2 female", example: 0 });

export const registerBodySchema = z.object({
  phone: phoneSchema,
  password: passwordSchema,
  nickname: nicknameSchema,
  sex: sexSchema.optional(),
  avatar: urlSchema.optional(),
}).openapi("RegisterBody");

export const loginBodySchema = z.object({
  phone: phoneSchema,
  // Any string up to the limit: a wrong-length password is just a wrong password at login.
  password: z.string().min(1).max(256),
}).openapi("LoginBody");

export const updateUserBodySchema = z.object({
  nickname: nicknameSchema.optional(),
  avatar: urlSchema.optional(),
  sex: sexSchema.optional(),
}).openapi("UpdateUserBody");

export const findUsersQuerySchema = z.object({
  phone: phoneSchema.optional(),
  name: characters(1, 24).optional(),
  ids: z.string().max(100 * 33, "at most 100 ids").optional()
    .openapi({ description: "comma-separated user ids, at most 100" }),
}).refine((q) => q.phone !== undefined || q.name !== undefined || q.ids !== undefined, {
  message: "one of phone, name or ids is required",
});

export const userSchema = z.object({
  id: idSchema,
  phone: z.string(),
  nickname: z.string(),
  avatar: z.string(),
  sex: z.number().int(),
  status: z.number().int(),
  createdAt: z.number().int().openapi({ description: "Unix milliseconds" }),
}).openapi("User");

export const publicUserSchema = z.object({
  id: idSchema,
  nickname: z.string(),
  avatar: z.string(),
  sex: z.number().int(),
}).openapi("PublicUser");

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
