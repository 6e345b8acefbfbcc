/**
 * The SDK's own protocol types (shared/client/protocol.ts, written against the generated
 * api-types.ts so the package carries no server code) are the server's: `deno task typecheck`
 * fails when one side changes alone. The runtime half checks the values the SDK copies.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type { ChatLog as ServerChatLog } from "../../shared/chat/schemas.ts";
import { CHAT_TYPE as SERVER_CHAT_TYPE } from "../../shared/chat/conversation-id.ts";
import { previewOf } from "../../shared/chat/preview.ts";
import { REPLY_PREVIEW_CHARS as SERVER_PREVIEW_CHARS } from "../../shared/limits.ts";
import type {
  CLIENT_METHODS,
  MethodAck as ServerAck,
  PushData as ServerPushData,
  PushMethod as ServerPushMethod,
} from "../../shared/protocol/methods.ts";
import { CLOSE_CODE as SERVER_CLOSE_CODE } from "../../shared/protocol/close-codes.ts";
import { ERROR_CODE as SERVER_ERROR_CODE } from "../../shared/errors.ts";
import {
  CHAT_TYPE,
  type ChatLog,
  CLOSE_CODE,
  conversationIdOf,
  ERROR_CODE,
  type MethodAck,
  type MethodInput,
  type MethodName,
  type PushData,
  REPLY_PREVIEW_CHARS,
  replyPreview,
} from "../../shared/client/index.ts";

type ServerInput<M extends MethodName> = z.input<(typeof CLIENT_METHODS)[M]["data"]>;
/** Both ways assignable: the same shape for every value a program can hold. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type EveryMethod = { [M in MethodName]: Same<MethodInput<M>, ServerInput<M>> };
type EveryAck = { [M in MethodName]: Same<MethodAck<M>, ServerAck<M>> };
type EveryPush = { [M in ServerPushMethod]: Same<PushData<M>, ServerPushData<M>> };
type AllTrue<T> = T[keyof T] extends true ? true : false;

describe("the SDK's protocol types", () => {
  it("are the server's: methods, acks, pushes and ChatLog", () => {
    expectTypeOf<AllTrue<EveryMethod>>().toEqualTypeOf<true>();
    expectTypeOf<AllTrue<EveryAck>>().toEqualTypeOf<true>();
    expectTypeOf<AllTrue<EveryPush>>().toEqualTypeOf<true>();
    expectTypeOf<Same<ChatLog, ServerChatLog>>().toEqualTypeOf<true>();
    // Only `lastMsg` (and `replyTo`) may be null: a message itself never is.
    expectTypeOf<null extends ChatLog ? true : false>().toEqualTypeOf<false>();
  });

  it("copy the server's constants and its reply preview", () => {
    expect(CHAT_TYPE).toEqual(SERVER_CHAT_TYPE);
    expect(CLOSE_CODE).toEqual(
      Object.fromEntries(Object.entries(SERVER_CLOSE_CODE).filter(([key]) => key !== "tooBig")),
    );
    expect(ERROR_CODE).toEqual({ noAnswer: 0, ...SERVER_ERROR_CODE });
    expect(REPLY_PREVIEW_CHARS).toBe(SERVER_PREVIEW_CHARS);
    for (const text of ["", "short", "x".repeat(250), "😀".repeat(150), "a😀".repeat(120)]) {
      expect(replyPreview(text)).toBe(previewOf(text));
    }
  });

  it("names conversations as the server does", () => {
    expect(conversationIdOf(CHAT_TYPE.single, "bbb", "aaa")).toBe("aaa_bbb");
    expect(conversationIdOf(CHAT_TYPE.single, "aaa", "bbb")).toBe("aaa_bbb");
    expect(conversationIdOf(CHAT_TYPE.group, "aaa", "g1")).toBe("g1");
  });
});
