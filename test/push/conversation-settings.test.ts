// Per-user conversation settings (CONTRACT §12): `muted` and `pinned` are set with
// `PUT /v1/im/conversation` and carried by the list rows and `session.ready`; they are the user's
// own (the other member's rows are untouched) and survive new messages.
import { describe, expect, it } from "vitest";
import { conversationOf, friendsPair, sendText } from "../helpers/chat.ts";
import { api, expectRefusal } from "../helpers/http.ts";
import { connect } from "../helpers/ws.ts";
import { setConversation } from "./devices.ts";

describe("PUT /v1/im/conversation muted and pinned", () => {
  it("are on the user's list rows and in session.ready, and only the user's", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "hi");
    expect(await conversationOf(bob, conversationId)).toMatchObject({
      muted: false,
      pinned: false,
    });
    await setConversation(bob, conversationId, { muted: true, pinned: true });
    await sendText(alice, bob.id, "still muted after this");
    expect(await conversationOf(bob, conversationId)).toMatchObject({
      muted: true,
      pinned: true,
      seq: 2,
    });
    expect(await conversationOf(alice, conversationId)).toMatchObject({
      muted: false,
      pinned: false,
    });
    const { socket, ready } = await connect(bob.token);
    socket.close();
    expect(ready.data.conversations[conversationId]).toMatchObject({ muted: true, pinned: true });
  });

  it("change only what is given", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "hi");
    await setConversation(bob, conversationId, { pinned: true });
    await setConversation(bob, conversationId, { muted: true });
    await setConversation(bob, conversationId, { pinned: false });
    expect(await conversationOf(bob, conversationId)).toMatchObject({
      muted: true,
      pinned: false,
      isShow: true,
    });
  });

  it("refuses a conversation not in the list with 404", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const answer = await api("PUT", "/v1/im/conversation", {
      token: bob.token,
      body: { conversationList: { [conversationId]: { muted: true } } },
    });
    expectRefusal(answer, 404, 100005);
    await sendText(alice, bob.id, "now it is listed");
    expect(await conversationOf(bob, conversationId)).toMatchObject({ muted: false });
  });

  it("refuses a setting that is not a boolean", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "hi");
    const answer = await api("PUT", "/v1/im/conversation", {
      token: bob.token,
      body: { conversationList: { [conversationId]: { muted: "yes" } } },
    });
    expectRefusal(answer, 400, 100002);
  });
});
