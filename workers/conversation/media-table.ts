/**
 * The Conversation's `media` table (store-schema.ts creates it): one row per upload into this
 * conversation — who uploaded it, what it is, the message that carries it once sent, and when
 * its bytes are to be deleted (a never-sent upload's deadline, or at once after a recall).
 */
import type { MediaKind } from "../../shared/media/kinds.ts";
import type { Media } from "../../shared/media/schemas.ts";
import type { StoreTables } from "./store.ts";

/** An upload as the table keeps it. */
export type MediaRow = Omit<Media, "conversationId"> & {
  ownerId: string;
  /** The message that carries it; null until it is sent. */
  msgSeq: number | null;
  /** Unix ms when its bytes go; null while a message carries it. */
  deleteAt: number | null;
};

const COLUMNS = `media_id AS mediaId, owner_id AS ownerId, kind, mime, size, name, sha256,
  created_at AS createdAt, msg_seq AS msgSeq, delete_at AS deleteAt`;

/** Uploads deleted from the bucket per sweep (R2 deletes up to 1000 keys at once). */
const SWEEP_BATCH = 100;

export class MediaTable {
  constructor(private readonly tables: StoreTables) {}

  insert(row: Omit<MediaRow, "msgSeq">): void {
    this.tables.sql.exec(
      `INSERT INTO media (media_id, owner_id, kind, mime, size, name, sha256, created_at, delete_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.mediaId,
      row.ownerId,
      row.kind satisfies MediaKind,
      row.mime,
      row.size,
      row.name,
      row.sha256,
      row.createdAt,
      row.deleteAt,
    );
  }

  find(mediaId: string): MediaRow | null {
    if (!this.tables.exists()) return null;
    return this.tables.sql.exec<MediaRow>(
      `SELECT ${COLUMNS} FROM media WHERE media_id = ?`,
      mediaId,
    )
      .toArray()[0] ?? null;
  }

  /** The upload is carried by message `seq` from now on: it is kept. */
  markSent(mediaId: string, seq: number): void {
    this.tables.sql.exec(
      "UPDATE media SET msg_seq = ?, delete_at = NULL WHERE media_id = ?",
      seq,
      mediaId,
    );
  }

  /** The media of message `seq` (recalled) is to be deleted at `at`. */
  releaseMessage(seq: number, at: number): void {
    this.tables.sql.exec("UPDATE media SET delete_at = ? WHERE msg_seq = ?", at, seq);
  }

  /** Ids of uploads due for deletion at `now`, oldest deadline first. */
  due(now: number): string[] {
    if (!this.tables.exists()) return [];
    return this.tables.sql.exec<{ mediaId: string }>(
      `SELECT media_id AS mediaId FROM media WHERE delete_at <= ? ORDER BY delete_at LIMIT ?`,
      now,
      SWEEP_BATCH,
    ).toArray().map((row) => row.mediaId);
  }

  /** The earliest deadline still ahead, or null. */
  nextDeadline(): number | null {
    if (!this.tables.exists()) return null;
    return this.tables.sql.exec<{ at: number | null }>(
      "SELECT MIN(delete_at) AS at FROM media",
    ).one().at;
  }

  remove(mediaIds: readonly string[]): void {
    for (const mediaId of mediaIds) {
      this.tables.sql.exec("DELETE FROM media WHERE media_id = ?", mediaId);
    }
  }
}
