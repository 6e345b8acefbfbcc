/**
 * The user's token state, kept by the user's own UserSession, which is its one authority
 * (CONTRACT §9 "Tokens can be revoked"): the current token version (a token signed under an
 * older one is revoked — "log out everywhere", a password change) and the ids of single tokens
 * revoked before they expire. Tables are made by the first revocation (a session that never
 * revoked anything reads version 0 and no ids, and writes nothing to say so); revoked ids are
 * forgotten once the token would have expired anyway, so the list is bounded by the logouts
 * within one token life.
 */
import { hasTable } from "../storage-tables.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS token_version (id INTEGER PRIMARY KEY CHECK (id = 0), version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS revoked_tokens (jti TEXT PRIMARY KEY, expire INTEGER NOT NULL);`;

export class TokenState {
  /** The current version once read; this object is its only writer. */
  private current: number | undefined;
  private created: boolean | undefined;

  constructor(private readonly sql: SqlStorage) {}

  /** The version new tokens are signed with. */
  version(): number {
    if (this.current !== undefined) return this.current;
    const row = this.exists()
      ? this.sql.exec<{ version: number }>("SELECT version FROM token_version").toArray()
      : [];
    this.current = row[0]?.version ?? 0;
    return this.current;
  }

  /** True when a token with this id and version may no longer be used. */
  isRevoked(jti: string, version: number): boolean {
    if (version < this.version()) return true;
    if (jti === "" || !this.exists()) return false;
    return this.sql.exec("SELECT 1 FROM revoked_tokens WHERE jti = ?", jti).toArray().length > 0;
  }

  /** Revokes one token until its `expire` (Unix seconds); forgets ids already expired. */
  revoke(jti: string, expire: number, nowSeconds = Math.floor(Date.now() / 1000)): void {
    this.create();
    this.sql.exec("DELETE FROM revoked_tokens WHERE expire <= ?", nowSeconds);
    this.sql.exec("INSERT OR REPLACE INTO revoked_tokens (jti, expire) VALUES (?, ?)", jti, expire);
  }

  /** Revokes every token signed so far; the new version. */
  revokeAll(): number {
    this.create();
    const next = this.version() + 1;
    this.sql.exec("INSERT OR REPLACE INTO token_version (id, version) VALUES (0, ?)", next);
    // The new version covers every id listed so far.
    this.sql.exec("DELETE FROM revoked_tokens");
    this.current = next;
    return next;
  }

  private exists(): boolean {
    this.created ??= hasTable(this.sql, "token_version");
    return this.created;
  }

  private create(): void {
    if (this.exists()) return;
    this.sql.exec(SCHEMA);
    this.created = true;
  }
}
