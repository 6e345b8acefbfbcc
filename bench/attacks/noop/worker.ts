/**
 * The smallest Worker with a hibernating WebSocket, for telling the runtime's cost from ours
 * (flood.mjs beside it): `GET /ping` answers "pong" without touching any object, and `/ws` hands
 * the socket to one Durable Object that closes it with 4008 at its 61st frame (where UserSession
 * closes the bench's flood) and does nothing at all with every later frame.
 */
import { DurableObject } from "cloudflare:workers";

const CLOSE_AT_FRAME = 61;

export class NoopSocket extends DurableObject {
  private frames = 0;

  override fetch(): Response {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  override webSocketMessage(ws: WebSocket): void {
    this.frames += 1;
    if (this.frames === CLOSE_AT_FRAME) ws.close(4008, "rate limit exceeded");
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    try {
      ws.close(code === 1005 ? 1000 : code, "closing back");
    } catch {
      // Already closed.
    }
  }
}

export default {
  fetch(request: Request, env: { NOOP_SOCKET: DurableObjectNamespace<NoopSocket> }) {
    const url = new URL(request.url);
    if (url.pathname === "/ws") {
      return env.NOOP_SOCKET.get(env.NOOP_SOCKET.idFromName(crypto.randomUUID())).fetch(request);
    }
    return new Response("pong");
  },
} satisfies ExportedHandler<{ NOOP_SOCKET: DurableObjectNamespace<NoopSocket> }>;
