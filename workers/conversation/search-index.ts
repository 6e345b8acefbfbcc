/**
 * Search (CONTRACT §13): an FTS5 index of the conversation's text messages in its own SQLite,
 * with the `trigram` tokenizer, so any substring of 3 characters or more is found without a
 * word splitter (Chinese and Japanese included) and case-insensitively. The index is
 * contentless (`content=''`, `contentless_delete=1`): the text stays in `messages` only, and
 * results are read from there.
 *
 * Kept in step in the same transactions as the log: a send adds its text, an edit replaces it, a
 * recall removes it. Delete-for-me and a former member's leave point are filtered per reader at
 * query time, as history is. Queries of 2 characters (below a trigram) and the part of an older
 * conversation not indexed yet scan `messages` with LIKE instead, so an answer is never partial.
 *
 * A conversation stored before the index existed gets it when it wakes: the table is created
 * empty, new messages go in at once, and the older ones are indexed SEARCH_BACKFILL_STEP at a
 * time by the object's alarm (`backfillStep`).
 */
import { MESSAGE_STATUS } from "../../shared/chat/schemas.ts";
import { M_TYPE } from "../../shared/chat/message-content.ts";
import { hasTable } from "../storage-tables.ts";
import { type MessageRecord, toChatLog } from "./store-schema.ts";
import type { ChatLog } from "../../shared/chat/schemas.ts";
import type { StoreTables } from "./store.ts";
import type { ConversationMeta } from "./store-meta.ts";
import type { MessageLog } from "./message-log.ts";

const SEARCH_SCHEMA = `CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING fts5(
  content, content='', contentless_delete=1, tokenize='trigram')`;

/** Meta key: "done:end" — messages up to `done` and after `end` are indexed. */
const META_BACKFILL = "searchBackfill";

/** The shortest query the trigram index answers; shorter ones scan. */
const TRIGRAM = 3;

/** Where a page of results starts: before a seq, or before (or at) a send time. */
export interface SearchFrom {
  beforeSeq?: number | undefined;
  beforeTime?: number | undefined;
  /** With beforeTime: messages sent at exactly that time are included. */
  atTimeToo?: boolean | undefined;
}

export class SearchIndex {
  constructor(
    private readonly tables: StoreTables,
    private readonly meta: ConversationMeta,
    private readonly log: MessageLog,
  ) {}

  /**
   * Creates the index in a store that lacks it: a new store has nothing to index; one made by
   * an older version has its messages so far to backfill.
   */
  ensure(): void {
    if (hasTable(this.tables.sql, "search_text")) return;
    this.tables.sql.exec(SEARCH_SCHEMA);
    this.meta.set(META_BACKFILL, `0:${this.log.lastSeq()}`);
  }

  /** Indexes a new message (text only); the caller wraps this in the send's transaction. */
  add(seq: number, mType: number, content: string): void {
    if (mType !== M_TYPE.text) return;
    this.tables.sql.exec("INSERT INTO search_text (rowid, content) VALUES (?, ?)", seq, content);
  }

  /** An edit: the old text is no longer found, the new one is. */
  replace(seq: number, content: string): void {
    this.remove(seq);
    if (seq > this.backfill().end || seq <= this.backfill().done) {
      this.tables.sql.exec("INSERT INTO search_text (rowid, content) VALUES (?, ?)", seq, content);
    }
  }

  /** A recall: its text is found no more. */
  remove(seq: number): void {
    this.tables.sql.exec("DELETE FROM search_text WHERE rowid = ?", seq);
  }

  /** True while older messages wait to be indexed. */
  backfillPending(): boolean {
    if (!this.tables.exists()) return false;
    const { done, end } = this.backfill();
    return done < end;
  }

  /** Indexes the next `step` older messages; true while more remain. */
  backfillStep(step: number): boolean {
    const { done, end } = this.backfill();
    if (done >= end) return false;
    const upTo = Math.min(done + step, end);
    this.tables.sql.exec(
      `INSERT INTO search_text (rowid, content) SELECT seq, content FROM messages
       WHERE seq > ? AND seq <= ? AND m_type = ? AND status = ?`,
      done,
      upTo,
      M_TYPE.text,
      MESSAGE_STATUS.normal,
    );
    this.meta.set(META_BACKFILL, `${upTo}:${end}`);
    return upTo < end;
  }

  /**
   * Text messages up to `upToSeq` containing `query` (case-insensitive), newest first, at most
   * `limit`, from `from` on; `visible` is the reader's delete-for-me filter.
   */
  search(
    query: string,
    upToSeq: number,
    limit: number,
    from: SearchFrom,
    visible: [string, ...(string | number)[]],
  ): ChatLog[] {
    if (!this.tables.exists()) return [];
    const [hidden, ...hiddenBindings] = visible;
    const { done, end } = this.backfill();
    const pageWhere = `m_type = ${M_TYPE.text} AND status = ${MESSAGE_STATUS.normal} AND seq <= ?
      ${from.beforeSeq === undefined ? "" : "AND seq < ?"}
      ${
      from.beforeTime === undefined
        ? ""
        : from.atTimeToo
        ? "AND send_time <= ?"
        : "AND send_time < ?"
    }
      ${hidden}`;
    const pageBindings = [
      upToSeq,
      ...(from.beforeSeq === undefined ? [] : [from.beforeSeq]),
      ...(from.beforeTime === undefined ? [] : [from.beforeTime]),
      ...hiddenBindings,
    ];
    const like = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const scanned = "content LIKE ? ESCAPE '\\'";
    let match: string;
    let matchBindings: (string | number)[];
    if ([...query].length < TRIGRAM) {
      match = scanned;
      matchBindings = [like];
    } else if (done >= end) {
      // All indexed: the index drives, newest first, and stops at the page's end — a common
      // word does not make it read every match.
      return this.tables.sql.exec<MessageRecord>(
        `SELECT messages.* FROM search_text JOIN messages ON messages.seq = search_text.rowid
         WHERE search_text MATCH ? AND search_text.rowid < ? AND ${pageWhere}
         ORDER BY search_text.rowid DESC LIMIT ?`,
        `"${query.replaceAll('"', '""')}"`,
        // The page's bounds as a rowid range: the index starts there rather than at its end.
        Math.min(upToSeq + 1, from.beforeSeq ?? Number.MAX_SAFE_INTEGER),
        ...pageBindings,
        limit,
      ).toArray().map((row) => toChatLog(this.tables.conversation, row));
    } else {
      // Indexed rows through FTS5; the not-yet-indexed part of an older conversation by scan.
      match = `(seq IN (SELECT rowid FROM search_text WHERE search_text MATCH ?)
        OR (seq > ? AND seq <= ? AND ${scanned}))`;
      matchBindings = [`"${query.replaceAll('"', '""')}"`, done, end, like];
    }
    return this.tables.sql.exec<MessageRecord>(
      `SELECT * FROM messages WHERE ${match} AND ${pageWhere} ORDER BY seq DESC LIMIT ?`,
      ...matchBindings,
      ...pageBindings,
      limit,
    ).toArray().map((row) => toChatLog(this.tables.conversation, row));
  }

  private backfill(): { done: number; end: number } {
    const [done, end] = (this.meta.get(META_BACKFILL) ?? "0:0").split(":").map(Number);
    return { done: done ?? 0, end: end ?? 0 };
  }
}

/** The text around the first match of `query` in `content`, at most about 80 characters. */
export function snippetOf(content: string, query: string): string {
  const chars = [...content];
  const lower = chars.map((c) => c.toLowerCase());
  const wanted = [...query.toLowerCase()];
  let at = 0;
  for (let i = 0; i + wanted.length <= lower.length; i++) {
    if (wanted.every((c, j) => lower[i + j] === c)) {
      at = i;
      break;
    }
  }
  const start = Math.max(0, at - 20);
  const end = Math.min(chars.length, at + wanted.length + 60);
  return `${start > 0 ? "…" : ""}${chars.slice(start, end).join("")}${
    end < chars.length ? "…" : ""
  }`;
}
