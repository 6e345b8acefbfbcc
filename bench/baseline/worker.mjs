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
 * - `GET /wsbox?room=R&user=U` is the same room with this app's shape: the socket sits in the
 *   user's own `Box` object, a request goes from the Box to the `Hub` object R by RPC (acked when
 *   the Hub answers), and the Hub pushes it to every other member's Box by one RPC each. It
 *   stores nothing either: the floor of "one call per member per message", which is what a
 *   design with a socket-holding object per user pays at least.
 * - `GET /d1?id=U` answers user U's row from a local D1 with the app's `users` table (seeded by
 *   the harness to the app's size): one prepared primary-key select, the least any read of the
 *   app's that touches D1 can cost (the **D1 floor**). No auth, no validation, no ORM.
 * - `POST /bcrypt` does one bcrypt compare, with the app's library and cost (10), of the bench's
 *   password against its hash: the least a login can cost.
 *
 * The frames follow the app's protocol (CONTRACT §6), so the harness drives both with one client.
 */
import { DurableObject } from "cloudflare:workers";
import { compare } from "../../node_modules/bcrypt-ts/dist/browser.js";

// bcrypt-ts, cost 10, of the bench's password ("bench-password"), as the app stores one.
const BENCH_PASSWORD_HASH = "$2b$10$YKkuSKbtDGRw2mKAf.PMxOv5VIspB4psRs/zXeo/ARfMv7ymNKmlO";

const ENVELOPE = JSON.stringify({ code: 200, msg: "ok", data: {} });

// Prepared once per isolate, as the app's drizzle `.prepare()` is for its hottest reads.
let userById;

/** The D1 floor: one primary-key select, the row in the app's envelope. */
async function readUser(env, id) {
  userById ??= env.DB.prepare("SELECT * FROM users WHERE id = ?");
  const info = await userById.bind(id).first();
  return new Response(JSON.stringify({ code: 200, msg: "ok", data: { info } }), {
    status: info ? 200 : 404,
    headers: { "Content-Type": "application/json" },
  });
}

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

/** One user's sockets (the shape of the app's UserSession, minus everything it checks). */
export class Box extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(
      new WebSocketRequestResponsePair('{"frameType":1}', '{"frameType":1}'),
    );
  }

  async fetch(request) {
    const url = new URL(request.url);
    const userId = url.searchParams.get("user") ?? "anonymous";
    const room = url.searchParams.get("room") ?? "lobby";
    await this.env.HUB.getByName(room).join(userId);
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({ userId, room });
    server.send(JSON.stringify({ frameType: 0, method: "session.ready", data: { userId } }));
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(ws, message) {
    const frame = JSON.parse(typeof message === "string" ? message : "{}");
    if (frame.frameType !== 0 || typeof frame.id !== "string") return;
    const { userId, room } = ws.deserializeAttachment();
    const sendTime = await this.env.HUB.getByName(room).relay(userId, frame.data?.msg?.content);
    ws.send(JSON.stringify({ frameType: 2, id: frame.id, data: { sendTime } }));
  }

  /** Sends a push to every socket of this user. */
  push(text) {
    for (const ws of this.ctx.getWebSockets()) ws.send(text);
  }

  webSocketClose(ws, code, reason) {
    try {
      ws.close(code === 1005 ? 1000 : code, reason);
    } catch {
      // Already closed.
    }
  }
}

/** A room that holds no sockets: it knows its members and calls each one's Box. */
export class Hub extends DurableObject {
  members = new Set();

  join(userId) {
    this.members.add(userId);
  }

  relay(userId, content) {
    const sendTime = Date.now();
    const push = JSON.stringify({
      frameType: 0,
      method: "push",
      formId: userId,
      data: { sendId: userId, content, sendTime },
    });
    for (const member of this.members) {
      if (member === userId) continue;
      this.env.BOX.getByName(member).push(push).catch((error) => {
        console.error("Hub.relay", member, error);
      });
    }
    return sendTime;
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/bcrypt" && request.method === "POST") {
      const { password } = await request.json();
      const matches = await compare(String(password), BENCH_PASSWORD_HASH);
      return new Response(ENVELOPE, {
        status: matches ? 200 : 401,
        headers: { "Content-Type": "application/json" },
      });
    }
    if (url.pathname === "/d1") return await readUser(env, url.searchParams.get("id"));
    if (url.pathname === "/http") {
      return new Response(ENVELOPE, { headers: { "Content-Type": "application/json" } });
    }
    if (url.pathname === "/ws" && request.headers.get("Upgrade") === "websocket") {
      const room = url.searchParams.get("room") ?? "lobby";
      return env.ROOM.getByName(room).fetch(request);
    }
    if (url.pathname === "/wsbox" && request.headers.get("Upgrade") === "websocket") {
      return env.BOX.getByName(url.searchParams.get("user") ?? "anonymous").fetch(request);
    }
    return new Response("not found", { status: 404 });
  },
};
