/**
 * The baseline: the least a Worker + Durable Object can do for each thing the app does, so every
 * figure can be divided by this runtime's floor on this machine in the same run.
 *
 * - `GET /http` answers a constant envelope (no auth, no database).
 * - `GET /ws?room=R&user=U` upgrades into the `Room` object named R, which accepts the socket for
 *   hibernation, says `session.ready`, then for every request frame acks the sender and pushes the
 *   frame's content to every other socket in the room. It stores nothing: no seq, no log, no
 *   membership check — that is what makes it a floor, not a competitor.
 *
 * The frames follow the app's protocol (CONTRACT §6), so the harness drives both with one client.
 */
import { DurableObject } from "cloudflare:workers";

const ENVELOPE = JSON.stringify({ code: 200, msg: "ok", data: {} });

export class Room extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    // Heartbeats answered without waking the object, as the app's UserSession does.
    ctx.setWebSocketAutoResponse(
      new WebSocketRequestResponsePair('{"frameType":1}', '{"frameType":1}'),
    );
  }

  fetch(request) {
    const userId = new URL(request.url).searchParams.get("user") ?? "anonymous";
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    // The attachment survives hibernation; memory does not.
    server.serializeAttachment({ userId });
    server.send(JSON.stringify({ frameType: 0, method: "session.ready", data: { userId } }));
    return new Response(null, { status: 101, webSocket: client });
  }

  webSocketMessage(ws, message) {
    try {
      broadcastRequest(this.ctx, ws, message);
    } catch (error) {
      console.error("Room.webSocketMessage", this.ctx.id.toString(), error);
    }
  }

  webSocketClose(ws, code, reason) {
    // Close back, as the app does, so the client sees a clean close.
    try {
      ws.close(code === 1005 ? 1000 : code, reason);
    } catch {
      // Already closed.
    }
  }
}

/** Acks a request to its sender and pushes its `data.msg.content` to every other socket. */
function broadcastRequest(ctx, sender, message) {
  const frame = JSON.parse(typeof message === "string" ? message : "{}");
  if (frame.frameType !== 0 || typeof frame.id !== "string") return;
  const { userId } = sender.deserializeAttachment();
  const sendTime = Date.now();
  sender.send(JSON.stringify({ frameType: 2, id: frame.id, data: { sendTime } }));
  const push = JSON.stringify({
    frameType: 0,
    method: "push",
    formId: userId,
    data: { sendId: userId, content: frame.data?.msg?.content, sendTime },
  });
  for (const ws of ctx.getWebSockets()) {
    if (ws !== sender) ws.send(push);
  }
}

export default {
  fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/http") {
      return new Response(ENVELOPE, { headers: { "Content-Type": "application/json" } });
    }
    if (url.pathname === "/ws" && request.headers.get("Upgrade") === "websocket") {
      const room = url.searchParams.get("room") ?? "lobby";
      return env.ROOM.getByName(room).fetch(request);
    }
    return new Response("not found", { status: 404 });
  },
};
