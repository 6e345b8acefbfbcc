/**
 * The SDK's media calls against the real Worker and its R2 binding: `uploadMedia` with its
 * progress, `sendMedia` through the outbox, the typed `ChatLog.media` on the other side, a
 * signed URL that reads without a token, and a refusal as a ChatError with the contract's code.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ChatError, type ChatLog } from "../../shared/client/index.ts";
import { friendsPair } from "../helpers/chat.ts";
import { bytesOf } from "../helpers/media.ts";
import { nextReady, received, sessionStarter, until } from "../helpers/sdk.ts";

const started = sessionStarter();
const workerFetch =
  ((input: RequestInfo | URL, init?: RequestInit) =>
    exports.default.fetch(new Request(input, init))) as typeof fetch;

describe("ChatSession media", () => {
  it("uploads with progress, sends, and the other side gets ChatLog.media", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const aliceSession = started(alice.token, { fetch: workerFetch });
    const bobSession = started(bob.token);
    const messages: ChatLog[] = received(bobSession);
    await Promise.all([nextReady(aliceSession), nextReady(bobSession)]);

    const progress: number[] = [];
    const blob = new Blob([bytesOf("audio/ogg", 4096)], { type: "audio/ogg" });
    const media = await aliceSession.uploadMedia(conversationId, blob, {
      kind: "voice",
      onProgress: ({ loaded }) => progress.push(loaded),
    });
    expect(media).toMatchObject({ kind: "voice", mime: "audio/ogg", size: 4096 });
    expect(progress).toEqual([0, 4096]);

    const ack = await aliceSession.sendMedia({ chatType: 2, recvId: bob.id }, media, {
      durationMs: 1500,
    });
    await until(() => messages.length === 1, "the voice note");
    expect(messages[0]).toMatchObject({
      msgId: ack.msgId,
      mType: 4,
      content: "",
      media: { mediaId: media.mediaId, kind: "voice", durationMs: 1500, thumb: null },
    });

    const { url } = await aliceSession.mediaUrl(media.mediaId);
    const read = await workerFetch(url);
    expect(read.status).toBe(200);
    expect((await read.arrayBuffer()).byteLength).toBe(4096);
  });

  it("rejects a refused upload with a ChatError carrying the contract's code", async () => {
    const { alice, conversationId } = await friendsPair();
    const session = started(alice.token, { fetch: workerFetch });
    const wrong = new Blob([bytesOf("image/gif")], { type: "image/png" });
    const refusal = await session.uploadMedia(conversationId, wrong, { kind: "image" })
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ChatError);
    expect(refusal).toMatchObject({ code: 100002, status: 400 });
  });
});
