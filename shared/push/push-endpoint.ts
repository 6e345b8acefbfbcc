/**
 * Which push endpoints the server will ever fetch (CONTRACT §12, docs/limits.md): `https:` on a
 * known push service, so a subscription can never make the server call a URL a user made up.
 * Loopback endpoints are for local development only (`PUSH_ALLOW_LOOPBACK=true`).
 */

/** Push services' hosts: the host itself or any subdomain of it. */
export const PUSH_SERVICE_HOSTS = [
  "fcm.googleapis.com", // Chrome, Edge on Android, Opera (Firebase Cloud Messaging)
  "push.services.mozilla.com", // Firefox (autopush: updates.push.services.mozilla.com)
  "push.apple.com", // Safari (web.push.apple.com)
  "notify.windows.com", // Edge on Windows (WNS: wns2-*.notify.windows.com)
] as const;

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Why `endpoint` is refused, or null when the server may send to it. */
export function pushEndpointRefusal(endpoint: string, allowLoopback: boolean): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "endpoint: must be a URL";
  }
  if (url.username !== "" || url.password !== "") return "endpoint: must carry no credentials";
  if (allowLoopback && isLoopback(url)) return null;
  if (url.protocol !== "https:") return "endpoint: must be https";
  if (url.port !== "") return "endpoint: must use the default port";
  const host = url.hostname.toLowerCase();
  const known = PUSH_SERVICE_HOSTS.some((service) =>
    host === service || host.endsWith(`.${service}`)
  );
  return known ? null : `endpoint: ${host} is not a known push service (docs/limits.md)`;
}

/** True for http(s) URLs on this machine. */
export function isLoopback(url: URL): boolean {
  return (url.protocol === "http:" || url.protocol === "https:") &&
    LOOPBACK_HOSTS.has(url.hostname.toLowerCase());
}
