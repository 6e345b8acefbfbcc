/**
 * A session never waits for an event that may not come (docs/sdk.md "Never hangs"): a socket
 * that reports a failure only as `error` (Node 20's built-in WebSocket on a refused connect), one
 * that never brings `session.ready`, and one gone silent (a half-open connection) are each given
 * up by the session itself, and the next connect reaches the real Worker.
 */
import { describe, expect, it } from "vitest";
import type {
  ChatSession,
  Disconnect,
  WebSocketFactory,
  WebSocketLike,
} from "../../shared/client/index.ts";
import { friendsPair } from "../helpers/chat.ts";
import { nextReady, sessionStarter, waitFor } from "../helpers/sdk.ts";

const start = sessionStarter();

/** A socket that never opens and never closes: `close()` fires nothing, as on a dead network. */
class SilentSocket extends EventTarget {
  closed = 0;
  send(): void {}
  close(): void {
    this.closed += 1;
  }
}

/** Hands out `first` at the first connect, the Worker's real sockets after it. */
function firstSocketIs(first: SilentSocket) {
  let connects = 0;
  return (open: WebSocketFactory): WebSocketFactory => (url, protocols) => {
    connects += 1;
    return connects === 1 ? first as unknown as WebSocketLike : open(url, protocols);
  };
}

/** The session's next `disconnect` event. */
const nextDisconnect = (session: ChatSession) =>
  waitFor<Disconnect>(
    (listener) => session.on("disconnect", listener),
    () => true,
    3000,
    "a disconnect",
  );

describe("ChatSession never hangs", () => {
  it("retries a socket that reports only `error`, never `close`", async () => {
    const { alice } = await friendsPair();
    const broken = new SilentSocket();
    const session = start(alice.token, { wrap: firstSocketIs(broken) });
    const lost = nextDisconnect(session);
    setTimeout(() => broken.dispatchEvent(new Event("error")), 10);
    expect(await lost).toMatchObject({ code: 1006, reason: "socket error" });
    await nextReady(session);
    expect(session.state).toBe("open");
  });

  it("gives up a socket without session.ready by itself, not by waiting for a close", async () => {
    const { alice } = await friendsPair();
    const silent = new SilentSocket();
    const session = start(alice.token, {
      wrap: firstSocketIs(silent),
      readyTimeoutMs: 200,
    });
    const lost = await nextDisconnect(session);
    expect(lost).toMatchObject({ code: 4000, reason: "no session.ready in time" });
    expect(silent.closed).toBe(1);
    await nextReady(session);
  });

  it("gives up a socket gone silent after two heartbeat periods and reconnects", async () => {
    const { alice } = await friendsPair();
    let readies = 0;
    const session = start(alice.token, {
      heartbeatMs: 100,
      // The first socket goes silent after its session.ready: nothing more arrives, no close.
      tap: (text) => {
        if (text.includes('"session.ready"')) readies += 1;
        return readies === 1 && !text.includes('"session.ready"') ? "drop" : "deliver";
      },
    });
    await nextReady(session);
    const lost = await nextDisconnect(session);
    expect(lost.reason).toBe("heartbeat timeout");
    await nextReady(session);
    expect(readies).toBe(2);
  });
});
