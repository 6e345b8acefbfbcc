/**
 * Media round trips (CONTRACT §11) through the real Worker, the Conversation object and the R2
 * binding: each kind uploaded, sent, seen in history and in the push, and read back — with the
 * token, through a signed URL, and by range.
 */
import { describe, expect, it } from "vitest";
import { chatlog, conversationOf, friendsPair, isPush } from "../helpers/chat.ts";
import { api } from "../helpers/http.ts";
import {
  bytesOf,
  fetchMedia,
  sendMedia,
  sha256Of,
  storedBytes,
  uploaded,
} from "../helpers/media.ts";
import { connect } from "../helpers/ws.ts";

const THUMB = "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ==";

const KINDS = [
  { kind: "image", mime: "image/png", mType: 1, extra: { width: 640, height: 480, thumb: THUMB } },
  { kind: "voice", mime: "audio/webm", mType: 4, extra: { durationMs: 3200 } },
  { kind: "file", mime: "application/pdf", mType: 2, extra: {} },
] as const;

describe("POST /v1/media, a send, and GET /v1/media/{id}", () => {
  for (const { kind, mime, mType, extra } of KINDS) {
    it(`carries a ${kind} from upload to the other side's history, push and read`, async () => {
      const { alice, bob, conversationId } = await friendsPair();
      const bobSocket = await connect(bob.token);
      const bytes = bytesOf(mime, 3000);
      const name = kind === "file" ? "Report – März.pdf" : "";
      const media = await uploaded(alice, conversationId, bytes, { kind, mime, name });
      expect(media).toEqual({
        mediaId: expect.stringMatching(/^[0-9a-f]{32}\./),
        conversationId,
        kind,
        mime,
        size: 3000,
        name,
        sha256: await sha256Of(bytes),
        createdAt: expect.any(Number),
      });
      expect(await storedBytes(media.mediaId)).toEqual(bytes);

      const sent = await sendMedia(
        alice,
        bob.id,
        mType,
        { mediaId: media.mediaId, ...extra },
        "look",
      );
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      const expected = {
        mediaId: media.mediaId,
        kind,
        mime,
        size: 3000,
        name,
        width: null,
        height: null,
        durationMs: null,
        thumb: null,
        ...extra,
      };
      const [message] = await chatlog(bob, { conversationId });
      expect(message).toMatchObject({ mType, content: "look", media: expected });
      expect((await bobSocket.socket.next(isPush)).data.media).toEqual(expected);
      await expect.poll(() => conversationOf(bob, conversationId))
        .toMatchObject({ lastMsg: { media: expected } });

      const read = await fetchMedia(`/v1/media/${media.mediaId}`, bob.token);
      expect(read.status).toBe(200);
      expect(new Uint8Array(await read.arrayBuffer())).toEqual(bytes);
      expect(read.headers.get("ETag")).toBe(`"${media.sha256}"`);
      expect(read.headers.get("Cache-Control")).toContain("private");
      expect(read.headers.get("X-Content-Type-Options")).toBe("nosniff");
      if (kind === "file") {
        expect(read.headers.get("Content-Type")).toBe("application/octet-stream");
        expect(read.headers.get("Content-Disposition")).toBe(
          `attachment; filename="Report _ M_rz.pdf"; filename*=UTF-8''${encodeURIComponent(name)}`,
        );
      } else {
        expect(read.headers.get("Content-Type")).toBe(mime);
      }
    });
  }

  it("serves a range of a voice note with 206 and Content-Range", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const bytes = bytesOf("audio/ogg", 5000);
    const media = await uploaded(alice, conversationId, bytes, {
      kind: "voice",
      mime: "audio/ogg",
    });
    expect((await sendMedia(alice, bob.id, 4, { mediaId: media.mediaId })).status).toBe(200);

    const part = await fetchMedia(`/v1/media/${media.mediaId}`, bob.token, {
      Range: "bytes=100-199",
    });
    expect(part.status).toBe(206);
    expect(part.headers.get("Content-Range")).toBe("bytes 100-199/5000");
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.slice(100, 200));
    const tail = await fetchMedia(`/v1/media/${media.mediaId}`, bob.token, { Range: "bytes=-10" });
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(bytes.slice(4990));
    const outside = await fetchMedia(`/v1/media/${media.mediaId}`, bob.token, {
      Range: "bytes=6000-",
    });
    expect(outside.status).toBe(416);
    const same = await fetchMedia(`/v1/media/${media.mediaId}`, bob.token, {
      "If-None-Match": `"${media.sha256}"`,
    });
    expect(same.status).toBe(304);
  });

  it("answers a signed URL that reads without a token", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const bytes = bytesOf("image/jpeg", 2048);
    const media = await uploaded(alice, conversationId, bytes, {
      kind: "image",
      mime: "image/jpeg",
    });
    expect((await sendMedia(alice, bob.id, 1, { mediaId: media.mediaId })).status).toBe(200);

    const signed = await api("GET", `/v1/media/${media.mediaId}/url`, { token: bob.token });
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    const { url, expires } = signed.body.data;
    expect(expires).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 15 * 60_000);
    const read = await fetchMedia(url);
    expect(read.status).toBe(200);
    expect(new Uint8Array(await read.arrayBuffer())).toEqual(bytes);
  });

  it("says [image], [file] name and [voice] in a reply's preview", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const file = await uploaded(alice, conversationId, bytesOf("text/plain"), {
      kind: "file",
      mime: "text/plain",
      name: "notes.txt",
    });
    const sent = await sendMedia(alice, bob.id, 2, { mediaId: file.mediaId });
    const reply = await api("POST", "/v1/im/chat", {
      token: bob.token,
      body: {
        chatType: 2,
        recvId: alice.id,
        msg: { mType: 0, content: "thanks" },
        clientMsgId: crypto.randomUUID(),
        replyTo: sent.body.data.msgId,
      },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const log = await chatlog(alice, { conversationId });
    expect(log[1].replyTo.preview).toBe("[file] notes.txt");
  });
});
