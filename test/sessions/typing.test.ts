import { describe, expect, it } from "vitest";
import { pairKey } from "../../shared/ids.ts";
import { createUser } from "../helpers/http.ts";
import { addMember, createGroup, makeFriends } from "../helpers/social.ts";
import { connect } from "../helpers/ws.ts";

const isTyping = (frame: { method?: string }) => frame.method === "typing";

describe("conversation.typing", () => {
  it("relays typing to a friend's every socket, not to the typist's", async () => {
    const alice = await createUser("Alice");
    const bob = await createUser("Bob");
    await makeFriends(alice, bob);
    const { socket: alicePhone } = await connect(alice.token, { deviceId: "phone" });
    const { socket: aliceLaptop } = await connect(alice.token, { deviceId: "laptop" });
    const { socket: bobPhone } = await connect(bob.token, { deviceId: "phone" });
    const { socket: bobLaptop } = await connect(bob.token, { deviceId: "laptop" });
    const conversationId = pairKey(alice.id, bob.id);

    const ack = await alicePhone.request("conversation.typing", { conversationId }, "t-1");
    expect(ack).toEqual({ frameType: 2, id: "t-1", data: {} });
    const expected = { frameType: 0, method: "typing", data: { conversationId, userId: alice.id } };
    expect(await bobPhone.next(isTyping)).toEqual(expected);
    expect(await bobLaptop.next(isTyping)).toEqual(expected);

    // A round trip on Alice's laptop after Bob got the push: no typing frame reached it.
    await aliceLaptop.request("user.online", {});
    expect(aliceLaptop.unread().filter(isTyping)).toEqual([]);
    expect(alicePhone.unread().filter(isTyping)).toEqual([]);
    for (const socket of [alicePhone, aliceLaptop, bobPhone, bobLaptop]) socket.close();
  });

  it("acks even when the friend is offline (typing is never stored)", async () => {
    const alice = await createUser("Alice");
    const bob = await createUser("Bob");
    await makeFriends(alice, bob);
    const { socket } = await connect(alice.token);
    const ack = await socket.request("conversation.typing", {
      conversationId: pairKey(alice.id, bob.id),
    });
    expect(ack.frameType).toBe(2);
    socket.close();
  });

  it("refuses a single chat with someone who is not a friend", async () => {
    const alice = await createUser("Alice");
    const mallory = await createUser("Mallory");
    const { socket: aliceSocket } = await connect(alice.token);
    const { socket: mallorySocket } = await connect(mallory.token);
    const conversationId = pairKey(alice.id, mallory.id);
    const error = await mallorySocket.request("conversation.typing", { conversationId }, "t-2");
    expect(error).toMatchObject({ frameType: 9, id: "t-2", data: { code: 100006 } });
    // Within the 2 s typing window: refused again, not acked as a throttled relay.
    const again = await mallorySocket.request("conversation.typing", { conversationId }, "t-3");
    expect(again).toMatchObject({ frameType: 9, id: "t-3", data: { code: 100006 } });
    await aliceSocket.request("user.online", {});
    expect(aliceSocket.unread().filter(isTyping)).toEqual([]);
    aliceSocket.close();
    mallorySocket.close();
  });

  it("refuses a single chat the caller is not part of", async () => {
    const alice = await createUser("Alice");
    const bob = await createUser("Bob");
    const mallory = await createUser("Mallory");
    await makeFriends(alice, bob);
    const { socket } = await connect(mallory.token);
    const error = await socket.request("conversation.typing", {
      conversationId: pairKey(alice.id, bob.id),
    });
    expect(error).toMatchObject({ frameType: 9, data: { code: 100006 } });
    socket.close();
  });

  it("relays typing to a group's other members and refuses a non-member", async () => {
    const owner = await createUser("Owner");
    const member = await createUser("Member");
    const outsider = await createUser("Outsider");
    const group = await createGroup(owner);
    await addMember(group.id, owner, member);
    const { socket: ownerSocket } = await connect(owner.token);
    const { socket: memberSocket } = await connect(member.token);
    const { socket: outsiderSocket } = await connect(outsider.token);

    const ack = await ownerSocket.request("conversation.typing", { conversationId: group.id });
    expect(ack.frameType).toBe(2);
    expect(await memberSocket.next(isTyping)).toEqual({
      frameType: 0,
      method: "typing",
      data: { conversationId: group.id, userId: owner.id },
    });

    const error = await outsiderSocket.request("conversation.typing", {
      conversationId: group.id,
    });
    expect(error).toMatchObject({ frameType: 9, data: { code: 100006 } });
    await ownerSocket.request("user.online", {});
    expect(ownerSocket.unread().filter(isTyping)).toEqual([]);
    for (const socket of [ownerSocket, memberSocket, outsiderSocket]) socket.close();
  });
});
