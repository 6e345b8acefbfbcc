/**
 * The SDK on the Workers runtime itself (workerd, as in a Worker or Durable Object that talks to
 * the service): its own `WebSocket` constructor, no factory. Pointed at a port nobody listens
 * on, a session keeps reconnecting with backoff, counting attempts, and stops on close().
 */
import { describe, expect, it } from "vitest";
import { ChatSession } from "../../shared/client/index.ts";

describe("ChatSession on workerd", () => {
  it("reconnects to a closed port with the runtime's own WebSocket, then stops", async () => {
    const session = new ChatSession({
      baseUrl: "http://127.0.0.1:9",
      token: "nobody-checks-it",
      backoff: { initialMs: 10, maxMs: 50 },
    });
    const reasons: string[] = [];
    const attempts = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${reasons.join(", ")}`)), 5000);
      session.on("disconnect", ({ reason }) => {
        reasons.push(reason);
        if (reasons.length === 3) {
          clearTimeout(timer);
          resolve(reasons.length);
        }
      });
      session.start();
    });
    session.close();
    // workerd reports the refused connect as `error` (and logs its own "Network connection
    // lost" for it): each one is a counted attempt.
    expect(attempts).toBe(3);
    expect(reasons).toEqual(["socket error", "socket error", "socket error"]);
    expect(session.state).toBe("stopped");
  });
});
