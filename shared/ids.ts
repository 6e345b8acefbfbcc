/**
 * Opaque, unguessable ids: 128 random bits as 32 lowercase hex characters. They never contain
 * "_", which is what joins two user ids into a single-chat conversation id.
 */
export function newId(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

/** Shape check for ids taken from clients (before they reach a query). */
export const ID_PATTERN = /^[0-9a-f]{32}$/;

/** The two ids sorted and joined with "_": single-chat conversation ids and friend-pair keys. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}_${b}` : `${b}_${a}`;
}
