/**
 * The Conversation object's SQLite storage, in parts: the message log (message-log.ts), its
 * recalls and edits (change-log.ts), what members hid (hidden-messages.ts), the members with
 * their read positions and delivery watermarks (members.ts), the meta values with the
 * membership changes announced but not yet settled (store-meta.ts), and reactions, pins and the
 * search index (reactions.ts, pins.ts, search-index.ts; docs/features.md). All calls are synchronous
 * (`ctx.storage.sql`), so a sequence of them between two awaits runs without interleaving.
 *
 * The tables are created by `create()`, on the first entitled write: a request that is refused
 * must leave no storage behind (CONTRACT §9), so merely waking writes nothing. Each part mirrors
 * what a fan-out reads in memory (loaded once per wake, written through); the one deferred
 * write is the delivery watermarks (members.ts).
 */
import type { ParsedConversationId } from "../../shared/chat/conversation-id.ts";
import { hasTable } from "../storage-tables.ts";
import { ChangeLog } from "./change-log.ts";
import { HiddenMessages } from "./hidden-messages.ts";
import { MemberTable } from "./members.ts";
import { MessageLog } from "./message-log.ts";
import { PinTable } from "./pins.ts";
import { ReactionTable } from "./reactions.ts";
import { SearchIndex } from "./search-index.ts";
import { ConversationMeta } from "./store-meta.ts";
import { META, SCHEMA, SCHEMA_VERSION, upgradeSchema } from "./store-schema.ts";

import type { MemberRow } from "./store-schema.ts";
export type { MemberRow, StoredChange } from "./store-schema.ts";
export type { NewMessage } from "./message-log.ts";
export { isBehind } from "./members.ts";

const META_SCHEMA_VERSION = "schemaVersion";

/** What every part of the store reads and writes through. */
export interface StoreTables {
  readonly sql: SqlStorage;
  /** The object's own id: every ChatLog read from here carries it. */
  readonly conversation: ParsedConversationId;
  /** True once the conversation has stored anything (its tables exist). */
  exists(): boolean;
}

export class ConversationStore implements StoreTables {
  readonly sql: SqlStorage;
  readonly meta: ConversationMeta;
  readonly members: MemberTable;
  readonly hidden: HiddenMessages;
  readonly log: MessageLog;
  readonly changes: ChangeLog;
  readonly reactions: ReactionTable;
  readonly pins: PinTable;
  readonly search: SearchIndex;
  private created: boolean;

  constructor(
    private readonly storage: DurableObjectStorage,
    readonly conversation: ParsedConversationId,
  ) {
    this.sql = storage.sql;
    this.meta = new ConversationMeta(this);
    this.members = new MemberTable(this);
    this.hidden = new HiddenMessages(this, this.members);
    this.log = new MessageLog(this, this.hidden);
    this.reactions = new ReactionTable(this);
    this.pins = new PinTable(this);
    this.search = new SearchIndex(this, this.meta, this.log);
    this.changes = new ChangeLog(this, this.meta, this.log, [this.reactions, this.pins]);
    // A read, not a write: the object may only have been woken by a request it will refuse.
    this.created = hasTable(this.sql, "members");
    if (this.created && this.meta.get(META_SCHEMA_VERSION) !== SCHEMA_VERSION) this.upgrade();
    if (this.created) this.addFeatureTables();
  }

  exists(): boolean {
    return this.created;
  }

  /** Creates the tables; call only for a write the caller is entitled to. */
  create(): void {
    if (this.created) return;
    this.sql.exec(SCHEMA);
    this.created = true;
    this.meta.set(META_SCHEMA_VERSION, SCHEMA_VERSION);
    this.addFeatureTables();
  }

  /**
   * Runs `work` as one SQLite transaction. If it throws, the rollback undoes the tables and the
   * mirrors are dropped, to be loaded again from them.
   */
  transaction<T>(work: () => T): T {
    try {
      return this.storage.transactionSync(work);
    } catch (error) {
      this.meta.forget();
      this.members.forget();
      this.hidden.forget();
      this.log.forget();
      throw error;
    }
  }

  /** Active members whose session is behind the log or its changes, or not announced yet. */
  membersAwaitingDelivery(): MemberRow[] {
    return this.members.membersAwaitingDelivery(this.log.lastSeq(), this.changes.lastChange());
  }

  /**
   * The tables of reactions, pins and the search index (CONTRACT §13), in a new store and in one
   * made before they existed (whose messages the search index then backfills).
   */
  private addFeatureTables(): void {
    this.storage.transactionSync(() => {
      this.reactions.ensure();
      this.pins.ensure();
      this.search.ensure();
    });
  }

  /** Brings a store made by an older version to this one (its rows stay as they are). */
  private upgrade(): void {
    this.storage.transactionSync(() => {
      upgradeSchema(this.sql);
      this.meta.set(META_SCHEMA_VERSION, SCHEMA_VERSION);
      // The new columns (roles, mutes, blocks) start at their defaults: the next request reads
      // the membership from D1 before it trusts them.
      this.meta.set(META.loadedAt, "0");
    });
    this.members.forget();
  }
}
