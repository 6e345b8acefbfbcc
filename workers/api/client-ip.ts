/**
 * The client's IP as Cloudflare reports it. At the edge `CF-Connecting-IP` is set by Cloudflare
 * and cannot be forged; locally (`wrangler dev`) it is whatever the client sent, so per-IP limits
 * are spoofable in development, and a client that sends none counts as "local".
 */
export function clientIp(request: Request): string {
  return request.headers.get("CF-Connecting-IP") ?? "local";
}
