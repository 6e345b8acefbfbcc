// A Conversation knows its own id from its name (ctx.id.name), also when nothing but its alarm
// wakes it: a delivery that failed is retried by a fresh instance nobody called.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DeliveryBatch } from "../../shared/chat/types.ts";
import { Conversation } from "../../workers/conversation/index.ts";
import { UserSession } from "../../workers/user-session/index.ts";
import { friendsPair, isPush, sendText } from "../helpers/chat.ts";
import { connect } from "../helpers/ws.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a Conversation woken by its alarm", () => {
  it("knows which conversation it is and delivers what failed", { timeout: 15_000 }, async () => {
    const { alice, bob, conversationId } = await friendsPair();
    const { socket } = await connect(bob.token);
    const receive = UserSession.prototype.receive;
    let failed = false;
    vi.spyOn(UserSession.prototype, "receive").mockImplementation(
      function (this: UserSession, batch: DeliveryBatch) {
        if (this.userId === bob.id && !failed) {
          failed = true;
          throw new Error("session unavailable");
        }
        return receive.call(this, batch);
      },
    );
    const alarm = Conversation.prototype.alarm;
    const woken: string[] = [];
    vi.spyOn(Conversation.prototype, "alarm").mockImplementation(
      function (this: Conversation) {
        woken.push(this.conversation.conversationId);
        return alarm.call(this);
      },
    );

    const ack = await sendText(alice, bob.id, "retried by the alarm");
    await vi.waitFor(() => expect(failed).toBe(true));
    // Drop the instance: the retry (about a second away) is the only thing that wakes it again.
    await runInDurableObject(
      env.CONVERSATION.getByName(conversationId),
      (_instance, state) => state.abort("test restart"),
    ).catch(() => {});

    expect((await socket.next(isPush, 10_000)).data.msgId).toBe(ack.msgId);
    expect(woken).toContain(conversationId);
  });
});
