/**
 * The user's Web Push subscriptions, one per device, in the UserSession's own SQLite (the object
 * that also knows whether the user has a socket). At most MAX_PUSH_SUBSCRIPTIONS: a new device
 * beyond that replaces the oldest. Subscribing the same endpoint again keeps its id and takes
 * the new keys. The table is made by the first subscription, so a user who never subscribes
 * stores nothing; the rows are read once per wake and kept in memory (at most ten).
 */
import { MAX_PUSH_SUBSCRIPTIONS } from "../../shared/limits.ts";
import type { PushSubscriptionBody, PushSubscriptionRow } from "../../shared/push/schemas.ts";
import { hasTable } from "../storage-tables.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS push_subscriptions (
  id TEXT PRIMARY KEY,
  endpoint TEXT NOT NULL UNIQUE,
  p256dh TEXT NOT NULL,
  auth TEXT NOT NULL,
  created_at INTEGER NOT NULL
);`;

/** A stored subscription, keys included: what a push is encrypted for. */
export type StoredSubscription = {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  created_at: number;
};

export class PushSubscriptions {
  /** The rows, oldest first; null until the first read of this wake. */
  private rows: StoredSubscription[] | null = null;

  constructor(private readonly sql: SqlStorage) {}

  /** Every subscription, oldest first. */
  all(): readonly StoredSubscription[] {
    if (this.rows === null) {
      this.rows = hasTable(this.sql, "push_subscriptions")
        ? this.sql.exec<StoredSubscription>(
          "SELECT * FROM push_subscriptions ORDER BY created_at, rowid",
        ).toArray()
        : [];
    }
    return this.rows;
  }

  /** Adds or refreshes the device's subscription; the oldest beyond the limit goes. Its id. */
  add({ endpoint, keys }: PushSubscriptionBody, now = Date.now()): string {
    const existing = this.all().find((row) => row.endpoint === endpoint);
    const id = existing?.id ?? crypto.randomUUID();
    this.sql.exec(SCHEMA);
    this.sql.exec(
      `INSERT INTO push_subscriptions (id, endpoint, p256dh, auth, created_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth`,
      id,
      endpoint,
      keys.p256dh,
      keys.auth,
      now,
    );
    this.sql.exec(
      `DELETE FROM push_subscriptions WHERE id IN (
         SELECT id FROM push_subscriptions ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ?)`,
      MAX_PUSH_SUBSCRIPTIONS,
    );
    this.rows = null;
    return id;
  }

  /** Removes the subscription of `endpoint`; false when there was none. */
  remove(endpoint: string): boolean {
    if (!this.all().some((row) => row.endpoint === endpoint)) return false;
    this.sql.exec("DELETE FROM push_subscriptions WHERE endpoint = ?", endpoint);
    this.rows = null;
    return true;
  }

  /** Removes every subscription (logout of all devices, a password change). */
  clear(): void {
    if (this.all().length === 0) return;
    this.sql.exec("DELETE FROM push_subscriptions");
    this.rows = [];
  }

  /** The subscriptions as their owner sees them. */
  list(): PushSubscriptionRow[] {
    return this.all().map((row) => ({
      id: row.id,
      endpoint: row.endpoint,
      createdAt: row.created_at,
    }));
  }
}
