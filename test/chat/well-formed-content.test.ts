/**
 * Message content is well-formed Unicode (CONTRACT §15): an unpaired surrogate — what JSON.parse
 * makes of an escaped `\uD800` — is refused with 100002 on every path that writes content (HTTP
 * send, WebSocket send, edit), and nothing is stored. Any well-formed text goes, a flood of
 * combining marks included (the web app contains how it draws).
 */
import { describe, expect, it } from "vitest";
import { api, expectRefusal } from "../helpers/http.ts";
import { chatlog, friendsPair, sendText } from "../helpers/chat.ts";
import { connect } from "../helpers/ws.ts";

const LONE = "\uD800".repeat(24);

function send(recvId: string, content: string) {
  return { chatType: 2, recvId, msg: { mType: 0, content }, clientMsgId: crypto.randomUUID() };
}

describe("message content", () => {
  it("refuses unpaired surrogates over HTTP, from the raw JSON escape, storing nothing", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const raw = JSON.stringify(send(bob.id, "x")).replace('"x"', `"${"\\udc00".repeat(3)}"`);
    const answer = await api("POST", "/v1/im/chat", { token: alice.token, body: raw });
    expectRefusal(answer, 400, 100002);
    expect(answer.body.msg).toContain("msg.content: must be well-formed Unicode");
    const high = await api("POST", "/v1/im/chat", { token: alice.token, body: send(bob.id, LONE) });
    expectRefusal(high, 400, 100002);
    await sendText(alice, bob.id, "after");
    expect((await chatlog(alice, { conversationId })).map((m) => m.content)).toEqual(["after"]);
  });

  it("refuses them in a WebSocket send with an error frame and keeps the socket", async () => {
    const { alice, bob } = await friendsPair();
    const { socket } = await connect(alice.token);
    const refused = await socket.request("conversation.chat", send(bob.id, `a${LONE}b`));
    expect(refused).toMatchObject({ frameType: 9, data: { code: 100002 } });
    const fine = await socket.request("conversation.chat", send(bob.id, "still here"));
    expect(fine.frameType).toBe(2);
    socket.close();
  });

  it("refuses them in an edit and keeps the old text", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const sent = await sendText(alice, bob.id, "first");
    const edit = await api("PUT", "/v1/im/chat", {
      token: alice.token,
      body: { conversationId, msgId: sent.msgId, content: `fixed${LONE}` },
    });
    expectRefusal(edit, 400, 100002);
    expect((await chatlog(alice, { conversationId }))[0]).toMatchObject({
      content: "first",
      editTime: 0,
    });
  });

  it("takes well-formed text of any shape: astral characters, 3,000 combining marks", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const flood = `Z${"\u0336\u0301".repeat(1500)}`;
    for (const content of ["😀 e\u0301 中", flood]) await sendText(alice, bob.id, content);
    const log = await chatlog(alice, { conversationId });
    expect(log.map((m) => m.content)).toEqual(["😀 e\u0301 中", flood]);
  });
});
