/**
 * The batches a Conversation hands members' sessions, made as cheaply as a fan-out needs: a
 * message's push frame is encoded once for every member, and the part of a batch every member
 * at the same watermarks shares (messages, last message, changes) is one JSON string made once
 * per seq range; only the member's own part (position, read seq) is written per member.
 */
import {
  type DeliveryBatchJson,
  toDelivered,
  toDeliveredChange,
} from "../../shared/chat/delivery.ts";
import type { ChatLog } from "../../shared/chat/schemas.ts";
import type { ConversationPosition, DeliveredMessage } from "../../shared/chat/types.ts";
import { MENTION_UNREAD_KEPT } from "../../shared/limits.ts";
import type { ConversationStore, MemberRow, StoredChange } from "./store.ts";

/** Messages per delivery call. */
export const DELIVERY_BATCH_SIZE = 100;
/** Seq ranges whose shared part is kept (members spread over a few watermarks at most). */
const SHARED_PARTS_KEPT = 32;

/** A batch made for one member, with what the outbox needs to know about it. */
export interface MemberBatch {
  json: DeliveryBatchJson;
  /** How many messages, and the seq of the last (the watermark after it arrives). */
  count: number;
  lastSeq: number;
  /** The last change it carries (the change watermark after it arrives). */
  lastChange: number;
  announces: boolean;
}

export class DeliveryBatches {
  /** The shared part of recent batches, by seq and change range. */
  private readonly sharedParts = new Map<string, string>();
  private conversationJson: string | null = null;
  /** Push frames (and the message's JSON, for a batch's `lastMsg`) by seq. */
  private readonly encoded = new Map<number, { delivered: DeliveredMessage; json: string }>();

  constructor(private readonly store: ConversationStore) {}

  /**
   * A stored message changed (recall, edit, a quote's preview): the frames and parts made from
   * it are stale.
   */
  forget(): void {
    this.encoded.clear();
    this.sharedParts.clear();
  }

  /**
   * The member's next batch: the messages above its watermark up to `lastSeq` (at most
   * DELIVERY_BATCH_SIZE), and the changes made up to the last of them — a change goes with the
   * batch that carries the message it was made after.
   */
  batchFor(member: MemberRow, lastSeq: number): MemberBatch {
    const { store } = this;
    const messages = store.log.messagesAfter(member.deliveredSeq, lastSeq, DELIVERY_BATCH_SIZE);
    const batchLastSeq = messages.at(-1)?.seq ?? member.deliveredSeq;
    const changes = store.changes.changesAfter(member.deliveredChange, DELIVERY_BATCH_SIZE, {
      atMost: batchLastSeq,
    });
    const position = member.announced ? null : positionOf(store, member);
    // The member's own part, written by hand around the conversation's JSON (made once): this
    // runs once per member per message.
    this.conversationJson ??= JSON.stringify(store.conversation);
    const own = `{"conversation":${this.conversationJson},"position":${
      JSON.stringify(position)
    },"read":${member.readSeq}`;
    return {
      json: `${own},${this.sharedPart(messages, changes)}}`,
      count: messages.length,
      lastSeq: batchLastSeq,
      lastChange: changes.at(-1)?.changeSeq ?? member.deliveredChange,
      announces: position !== null,
    };
  }

  /** `"messages":[…],"lastMsg":…,"changes":[…]`, made once for every member. */
  private sharedPart(messages: ChatLog[], changes: StoredChange[]): string {
    const key = `${messages[0]?.seq ?? 0}-${messages.at(-1)?.seq ?? 0}:${
      changes[0]?.changeSeq ?? 0
    }-${changes.at(-1)?.changeSeq ?? 0}`;
    let part = this.sharedParts.get(key);
    if (part === undefined) {
      const last = messages.at(-1);
      const delivered = messages.map((message) => this.encode(message).delivered);
      const lastMsg = last ? this.encode(last).json : null;
      part = `"messages":${JSON.stringify(delivered)},"lastMsg":${JSON.stringify(lastMsg)}`;
      if (changes.length > 0) {
        part += `,"changes":${JSON.stringify(changes.map(toDeliveredChange))}`;
      }
      if (this.sharedParts.size >= SHARED_PARTS_KEPT) this.sharedParts.clear();
      this.sharedParts.set(key, part);
    }
    return part;
  }

  private encode(message: ChatLog): { delivered: DeliveredMessage; json: string } {
    let encoded = this.encoded.get(message.seq);
    if (!encoded) {
      encoded = { delivered: toDelivered(message), json: JSON.stringify(message) };
      this.encoded.set(message.seq, encoded);
      // Keep the frames of the newest DELIVERY_BATCH_SIZE messages: the ones members still need.
      const oldest = message.seq - DELIVERY_BATCH_SIZE;
      for (const seq of this.encoded.keys()) if (seq <= oldest) this.encoded.delete(seq);
    }
    return encoded;
  }
}

/**
 * Where a member stands as far as this conversation knows: its delivery watermarks, its read
 * seq, the message at its watermark and the unread messages mentioning it.
 */
export function positionOf(store: ConversationStore, member: MemberRow): ConversationPosition {
  return {
    seq: member.deliveredSeq,
    read: member.readSeq,
    lastMsg: store.log.message(member.deliveredSeq),
    changeSeq: member.deliveredChange,
    mentionSeqs: store.log.mentionSeqs(
      member.userId,
      member.readSeq,
      member.deliveredSeq,
      MENTION_UNREAD_KEPT,
    ),
  };
}
