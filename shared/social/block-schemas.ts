/** API shapes of the block list (CONTRACT §10), shared by the routes and the OpenAPI document. */
import { z } from "@hono/zod-openapi";
import { idSchema } from "../http/schemas.ts";
import { publicUserSchema } from "../users/schemas.ts";
import { pageQueryShape, pageSchemaOf } from "./pagination.ts";

export const blockBodySchema = z.object({
  userId: idSchema.openapi({ description: "the user to block or unblock" }),
}).openapi("BlockBody");

export const blocksQuerySchema = z.object(pageQueryShape);

export const blockedUserPageSchema = pageSchemaOf(publicUserSchema, "BlockedUserPage");

export type BlockBody = z.infer<typeof blockBodySchema>;
