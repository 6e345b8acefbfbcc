/**
 * The client's IP as Cloudflare reports it. At the edge `CF-Connecting-IP` is set by Cloudflare
 * and cannot be forged; locally it is absent and every client counts as "local".
 */
export function clientIp(request: Request): string {
  return request.headers.get("CF-Connecting-IP") ?? "local";
}
