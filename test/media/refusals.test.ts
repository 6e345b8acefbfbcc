/**
 * The upload and send refusals of CONTRACT §11, each with the contract's envelope and nothing
 * stored: strangers, wrong first bytes, over size (with and without a Content-Length), file
 * names, someone else's or another conversation's upload, and one upload sent twice (reads:
 * read-refusals.test.ts).
 */
import { describe, expect, it } from "vitest";
import { MEDIA_MAX_BYTES } from "../../shared/limits.ts";
import { friendsPair, pairKey } from "../helpers/chat.ts";
import { type ApiAnswer, expectRefusal } from "../helpers/http.ts";
import {
  answerOf as envelopeOf,
  bucketCount,
  bytesOf,
  hangingUpload,
  sendMedia,
  storedBytes,
  upload,
  uploaded,
} from "../helpers/media.ts";
import { createGroupCast, quickUser } from "../helpers/social.ts";

const png = (size = 1024) => bytesOf("image/png", size);

describe("uploads refused", () => {
  it("refuses a stranger with 403 before reading a byte, and stores nothing", async () => {
    const [alice, carol] = [await quickUser("Alice"), await quickUser("Carol")];
    const cast = await createGroupCast();
    const before = await bucketCount();
    // The bodies never end: only a refusal made before reading them can answer.
    for (
      const [user, conversationId] of [
        [alice, pairKey(alice.id, carol.id)],
        [cast.outsider, cast.groupId],
      ] as const
    ) {
      const attempt = hangingUpload(user, conversationId, 4096);
      const answer = await Promise.race([
        attempt.answer.then(envelopeOf),
        new Promise((resolve) => setTimeout(() => resolve("waited for the body"), 3000)),
      ]);
      expect(answer).not.toBe("waited for the body");
      expectRefusal(answer as ApiAnswer, 403, 100006);
    }
    expect(await bucketCount()).toBe(before);
  });

  it("refuses an image whose first bytes are not its declared type (400)", async () => {
    const { alice, conversationId } = await friendsPair();
    const before = await bucketCount();
    const gif = bytesOf("image/gif");
    const answer = await upload(alice, conversationId, gif, { kind: "image", mime: "image/png" });
    expectRefusal(answer, 400, 100002);
    const voice = await upload(alice, conversationId, png(), { kind: "voice", mime: "audio/ogg" });
    expectRefusal(voice, 400, 100002);
    expect(await bucketCount()).toBe(before);
  });

  it("refuses a file name with a path separator or a hidden character (400)", async () => {
    const { alice, conversationId } = await friendsPair();
    const before = await bucketCount();
    const file = { kind: "file", mime: "application/pdf" } as const;
    for (const name of ["../etc/passwd", "invoice\u202Efdp.exe", "tab\tname"]) {
      expectRefusal(await upload(alice, conversationId, png(), { ...file, name }), 400, 100002);
    }
    expect(await bucketCount()).toBe(before);
    const kept = await uploaded(alice, conversationId, png(), {
      ...file,
      name: "  Café – notes.pdf ",
    });
    expect(kept.name).toBe("Café – notes.pdf");
  });

  it("refuses a type its kind does not take (400)", async () => {
    const { alice, conversationId } = await friendsPair();
    const answer = await upload(alice, conversationId, png(), {
      kind: "image",
      mime: "image/svg+xml",
    });
    expectRefusal(answer, 400, 100002);
  });

  it("refuses over the size with a Content-Length (413) before reading it", async () => {
    const { alice, conversationId } = await friendsPair();
    const before = await bucketCount();
    // The body never ends: only a refusal made before reading it can answer.
    const attempt = hangingUpload(alice, conversationId, MEDIA_MAX_BYTES.file + 1);
    const answer = await Promise.race([
      attempt.answer.then(envelopeOf),
      new Promise((resolve) => setTimeout(() => resolve("waited for the body"), 3000)),
    ]);
    expect(answer).not.toBe("waited for the body");
    expectRefusal(answer as ApiAnswer, 413, 100009);
    expect(await bucketCount()).toBe(before);
  });

  it("refuses over the size without a Content-Length (413) and stores nothing", async () => {
    const { alice, conversationId } = await friendsPair();
    const before = await bucketCount();
    const voice = bytesOf("audio/webm", MEDIA_MAX_BYTES.voice + 1);
    const answer = await upload(alice, conversationId, voice, {
      kind: "voice",
      mime: "audio/webm",
      withLength: false,
    });
    expectRefusal(answer, 413, 100009);
    // Past one multipart part too: the parts already uploaded are aborted.
    const image = bytesOf("image/jpeg", MEDIA_MAX_BYTES.image + 1);
    const big = await upload(alice, conversationId, image, {
      kind: "image",
      mime: "image/jpeg",
      withLength: false,
    });
    expectRefusal(big, 413, 100009);
    expect(await bucketCount()).toBe(before);
  });

  it("stores a file of several parts that comes without a Content-Length", async () => {
    const { alice, conversationId } = await friendsPair();
    const bytes = bytesOf("application/zip", 6 * 1024 * 1024 + 123);
    const media = await uploaded(alice, conversationId, bytes, {
      kind: "file",
      mime: "application/zip",
      withLength: false,
    });
    expect(media.size).toBe(bytes.byteLength);
    expect(await storedBytes(media.mediaId)).toEqual(bytes);
  });
});

describe("sends refused", () => {
  it("refuses another conversation's upload and another user's (400)", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const carol = await quickUser("Carol");
    const { makeFriends } = await import("../helpers/social.ts");
    await makeFriends(alice, carol);
    const elsewhere = await uploaded(alice, pairKey(alice.id, carol.id), png(), {
      kind: "image",
      mime: "image/png",
    });
    expectRefusal(await sendMedia(alice, bob.id, 1, { mediaId: elsewhere.mediaId }), 400, 100002);
    const bobs = await uploaded(bob, conversationId, png(), { kind: "image", mime: "image/png" });
    expectRefusal(await sendMedia(alice, bob.id, 1, { mediaId: bobs.mediaId }), 400, 100002);
    expect((await sendMedia(bob, alice.id, 1, { mediaId: bobs.mediaId })).status).toBe(200);
  });

  it("refuses one upload sent twice (409)", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const media = await uploaded(alice, conversationId, png(), {
      kind: "image",
      mime: "image/png",
    });
    expect((await sendMedia(alice, bob.id, 1, { mediaId: media.mediaId })).status).toBe(200);
    expectRefusal(await sendMedia(alice, bob.id, 1, { mediaId: media.mediaId }), 409, 100007);
  });

  it("stores one message when one upload is sent twice at once", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const media = await uploaded(alice, conversationId, png(), {
      kind: "image",
      mime: "image/png",
    });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => sendMedia(alice, bob.id, 1, { mediaId: media.mediaId })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409, 409, 409]);
    const { chatlog } = await import("../helpers/chat.ts");
    expect(await chatlog(bob, { conversationId })).toHaveLength(1);
  });

  it("refuses a message type that is not the upload's kind, and a thumb over 4 KiB (400)", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const media = await uploaded(alice, conversationId, png(), {
      kind: "image",
      mime: "image/png",
    });
    expectRefusal(await sendMedia(alice, bob.id, 4, { mediaId: media.mediaId }), 400, 100002);
    const thumb = `data:image/jpeg;base64,${"A".repeat(4096)}`;
    expectRefusal(
      await sendMedia(alice, bob.id, 1, { mediaId: media.mediaId, thumb }),
      400,
      100002,
    );
    expect((await sendMedia(alice, bob.id, 1, { mediaId: media.mediaId })).status).toBe(200);
  });
});
