/**
 * Every read refusal of CONTRACT §11, with the contract's envelope: a stranger, an upload not
 * sent yet (its uploader's alone), a signed URL after it expires or with a forged signature, a
 * recalled message's media (at once, and before its bytes are gone), and a former member past
 * the leave point.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signMedia } from "../../shared/media/signed-url.ts";
import { friendsPair } from "../helpers/chat.ts";
import { api, expectRefusal } from "../helpers/http.ts";
import { recall } from "../helpers/lifecycle.ts";
import {
  answerOf as envelopeOf,
  bytesOf,
  fetchMedia,
  sendMedia,
  storedBytes,
  uploaded,
} from "../helpers/media.ts";
import { createGroupCast, quickUser } from "../helpers/social.ts";

const png = (size = 1024) => bytesOf("image/png", size);

describe("reads refused", () => {
  it("refuses a stranger, and hides an upload not sent yet from everyone but its uploader", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const media = await uploaded(alice, conversationId, png(), {
      kind: "image",
      mime: "image/png",
    });
    const carol = await quickUser("Carol");
    expectRefusal(
      await envelopeOf(await fetchMedia(`/v1/media/${media.mediaId}`, carol.token)),
      403,
      100006,
    );
    expectRefusal(
      await envelopeOf(await fetchMedia(`/v1/media/${media.mediaId}`, bob.token)),
      404,
      100005,
    );
    expect((await fetchMedia(`/v1/media/${media.mediaId}`, alice.token)).status).toBe(200);
    expectRefusal(await envelopeOf(await fetchMedia(`/v1/media/${media.mediaId}`)), 401, 100003);
  });

  it("refuses a signed URL after it expires, or with a forged signature (403)", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const media = await uploaded(alice, conversationId, png(), {
      kind: "image",
      mime: "image/png",
    });
    expect((await sendMedia(alice, bob.id, 1, { mediaId: media.mediaId })).status).toBe(200);
    const expired = Date.now() - 1;
    const sig = await signMedia(env.JWT_SECRET, media.mediaId, expired);
    const late = await fetchMedia(`/v1/media/${media.mediaId}?exp=${expired}&sig=${sig}`);
    expectRefusal(await envelopeOf(late), 403, 100006);
    const later = Date.now() + 60_000;
    const forged = await fetchMedia(`/v1/media/${media.mediaId}?exp=${later}&sig=${sig}`);
    expectRefusal(await envelopeOf(forged), 403, 100006);
  });

  it("makes recalled media unreadable at once (404) and deletes its bytes", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const media = await uploaded(alice, conversationId, png(), {
      kind: "image",
      mime: "image/png",
    });
    const sent = await sendMedia(alice, bob.id, 1, { mediaId: media.mediaId });
    const signed = await api("GET", `/v1/media/${media.mediaId}/url`, { token: bob.token });
    expect(signed.status).toBe(200);

    expect((await recall(alice, conversationId, sent.body.data.msgId)).status).toBe(200);
    expectRefusal(
      await envelopeOf(await fetchMedia(`/v1/media/${media.mediaId}`, bob.token)),
      404,
      100005,
    );
    expectRefusal(await envelopeOf(await fetchMedia(signed.body.data.url)), 404, 100005);
    expect(await storedBytes(media.mediaId)).toBeNull();
    const { chatlog } = await import("../helpers/chat.ts");
    expect((await chatlog(bob, { conversationId }))[0]).toMatchObject({ status: 1, media: null });
  });

  it("refuses the media of a recalled message while its bytes still wait to be deleted", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const media = await uploaded(alice, conversationId, png(), {
      kind: "image",
      mime: "image/png",
    });
    await sendMedia(alice, bob.id, 1, { mediaId: media.mediaId });
    // The recall's own write alone, as if the bucket delete after it had not happened yet.
    await runInDurableObject(
      env.CONVERSATION.getByName(conversationId),
      (_: unknown, state: DurableObjectState) => {
        state.storage.sql.exec("UPDATE messages SET status = 1 WHERE seq = 1");
      },
    );
    expect(await storedBytes(media.mediaId)).not.toBeNull();
    expectRefusal(
      await envelopeOf(await fetchMedia(`/v1/media/${media.mediaId}`, bob.token)),
      404,
      100005,
    );
  });

  it("lets a former member read media up to the leave point, and no further", async () => {
    const { groupId, creator, member } = await createGroupCast();
    const before = await uploaded(creator, groupId, png(), { kind: "image", mime: "image/png" });
    expect((await sendMedia(creator, groupId, 1, { mediaId: before.mediaId }, "", 1)).status)
      .toBe(200);
    const quit = await api("POST", "/v1/social/group/quit", {
      token: member.token,
      body: { groupId },
    });
    expect(quit.status, JSON.stringify(quit.body)).toBe(200);
    const after = await uploaded(creator, groupId, png(), { kind: "image", mime: "image/png" });
    expect((await sendMedia(creator, groupId, 1, { mediaId: after.mediaId }, "", 1)).status)
      .toBe(200);

    expect((await fetchMedia(`/v1/media/${before.mediaId}`, member.token)).status).toBe(200);
    expectRefusal(
      await envelopeOf(await fetchMedia(`/v1/media/${after.mediaId}`, member.token)),
      404,
      100005,
    );
    const url = await api("GET", `/v1/media/${after.mediaId}/url`, { token: member.token });
    expectRefusal(url, 404, 100005);
  });
});
