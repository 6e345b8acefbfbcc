/**
 * A realtime session over `GET /v1/im/ws` that survives disconnects (session-core.ts has the
 * machinery): messages and changes as events, exactly once and in order; sends, recalls, edits
 * and read marks through an outbox that outlives disconnects; persistence of cursors and outbox
 * across app restarts. docs/sdk.md has the rules.
 */
import type {
  EditedMessage,
  MethodAck,
  MethodName,
  OutgoingChat,
  ReactionChange,
  Recall,
  SendAck,
} from "./protocol.ts";
import {
  type Media,
  MediaClient,
  mediaMessage,
  type MediaMessageExtras,
  type MediaUrl,
  type UploadMediaOptions,
} from "./media.ts";
import { SessionCore, stoppedError } from "./session-core.ts";
import type { ChatSessionOptions } from "./session-types.ts";

export type {
  ChatSessionEvents,
  ChatSessionOptions,
  Disconnect,
  SessionState,
} from "./session-types.ts";

/** What `exportState()` gives and `importState()` takes: cursors and the unanswered outbox. */
export interface SessionSnapshot {
  conversations: Record<string, { seq: number; changeSeq?: number }>;
  outbox: { id: string; method: MethodName; data: unknown }[];
}

export class ChatSession extends SessionCore {
  private readonly media: MediaClient;

  constructor(options: ChatSessionOptions) {
    super(options);
    const { baseUrl, token, fetch } = options;
    this.media = new MediaClient({ baseUrl, token, fetch });
  }

  /**
   * Uploads an image, file or voice note into `conversationId` over HTTP (`onProgress` as it
   * goes); send it with `sendMedia`. Not queued: an upload that fails is the app's to retry.
   */
  uploadMedia(conversationId: string, blob: Blob, options: UploadMediaOptions): Promise<Media> {
    return this.media.upload(conversationId, blob, options);
  }

  /** Sends an upload (once) as a message, through the outbox like `send`. */
  sendMedia(
    to: Pick<OutgoingChat, "chatType" | "recvId">,
    media: Pick<Media, "mediaId" | "kind">,
    extras: MediaMessageExtras = {},
    options: { id?: string } = {},
  ): Promise<SendAck> {
    return this.send({ ...to, msg: mediaMessage(media, extras) }, options);
  }

  /** A signed URL of a media this user may read, for `<img src>` / `<audio src>` (15 min). */
  mediaUrl(mediaId: string): Promise<MediaUrl> {
    return this.media.signedUrl(mediaId);
  }

  /** Resolves once the session is open (at once if it is); rejects if it stops first. */
  opened(): Promise<void> {
    if (this.ready) return Promise.resolve();
    if (this.state === "stopped") return Promise.reject(stoppedError());
    return new Promise((resolve, reject) => {
      const offs = [
        this.on("ready", () => (offs.forEach((off) => off()), resolve())),
        this.on(
          "stopped",
          () => (offs.forEach((off) => off()), reject(stoppedError())),
        ),
      ];
    });
  }

  /** The last seq handed to the app in `conversationId` (undefined: not followed). */
  lastSeq(conversationId: string): number | undefined {
    return this.order.cursor(conversationId);
  }

  /** Every recall and edit in `conversationId` up to this change seq is applied. */
  lastChangeSeq(conversationId: string): number | undefined {
    return this.changes.cursor(conversationId);
  }

  /**
   * The app has everything in `conversationId` up to `seq`, with every recall and edit up to
   * `changeSeq` (e.g. from `GET /v1/im/conversation` and `chatlog`): later messages and changes
   * come as events, and after a reconnect the resync starts there. Without `changeSeq` the
   * changes are resynced from the conversation's first one.
   */
  follow(conversationId: string, seq: number, changeSeq?: number): void {
    if (
      changeSeq !== undefined ||
      this.changes.cursor(conversationId) === undefined
    ) {
      this.changes.follow(conversationId, changeSeq ?? 0);
    }
    for (const message of this.order.follow(conversationId, seq)) {
      this.emit("message", message);
    }
  }

  /**
   * Sends a message through the outbox: resolves with its ack, across reconnects. `id` (a UUID
   * the caller keeps, e.g. with its draft) is the idempotency key: sending again with it, even
   * from a restarted app, stores the message once.
   */
  async send(message: OutgoingChat, options: { id?: string } = {}): Promise<SendAck> {
    const ack = await this.enqueue("conversation.chat", message, true, options.id);
    this.emit("sent", ack);
    return ack;
  }

  /** Recalls a message through the outbox; the `recall` event fires once (ack or push). */
  async recall(conversationId: string, msgId: string): Promise<Recall> {
    const recall = await this.enqueue("conversation.recall", {
      conversationId,
      msgId,
    }, true);
    this.onChange({ method: "recall", data: recall });
    return recall;
  }

  /** Replaces a text message's content through the outbox; as `recall`, with an `edit` event. */
  async edit(
    conversationId: string,
    msgId: string,
    content: string,
  ): Promise<EditedMessage> {
    const data = { conversationId, msgId, content };
    const edited = await this.enqueue("conversation.edit", data, true);
    this.onChange({ method: "edit", data: edited });
    return edited;
  }

  /**
   * Reacts to a message with one emoji (`on: false` takes it back) through the outbox; the
   * `reaction` event fires once (ack or push). Idempotent: a repeat changes nothing.
   */
  async react(
    conversationId: string,
    msgId: string,
    emoji: string,
    on = true,
  ): Promise<ReactionChange> {
    const data = { conversationId, msgId, emoji, on };
    const reaction = await this.enqueue("conversation.react", data, true);
    this.onChange({ method: "reaction", data: reaction });
    return reaction;
  }

  /** Marks `conversationId` read up to `seq`, through the outbox (a read never moves back). */
  async markRead(
    conversationId: string,
    seq: number,
  ): Promise<MethodAck<"conversation.markChat">> {
    const ack = await this.enqueue("conversation.markChat", { conversationId, seq }, true);
    this.emit("read", ack);
    return ack;
  }

  /**
   * Tells the conversation this user is typing. Not queued: typing that reaches the others
   * after a reconnect is stale, so while the session is not open this does nothing.
   */
  async typing(conversationId: string): Promise<void> {
    if (!this.ready) return;
    await this.request("conversation.typing", { conversationId });
  }

  /** Which friends are online (`user.online`); waits for the session to open. */
  async online(): Promise<Record<string, boolean>> {
    await this.opened();
    return (await this.request("user.online", {})).onlineList;
  }

  /** The cursors and the unanswered outbox, for an app to store and `importState` after a restart. */
  exportState(): SessionSnapshot {
    const conversations: SessionSnapshot["conversations"] = {};
    for (const [id, seq] of this.order.cursorsList()) {
      conversations[id] = { seq };
    }
    for (const [id, changeSeq] of this.changes.cursorsList()) {
      conversations[id] = { seq: conversations[id]?.seq ?? 0, changeSeq };
    }
    const outbox = this.outbox.waiting().map(([id, entry]) => ({
      id,
      method: entry.method as MethodName,
      data: entry.data,
    }));
    return { conversations, outbox };
  }

  /**
   * Restores what `exportState()` gave (before `start()`): conversations are followed from
   * their cursors, so nothing that came meanwhile is skipped, and the outbox is sent again under
   * the same ids (stored once). Resolves each restored entry's promise, in outbox order.
   */
  importState(snapshot: SessionSnapshot): Promise<unknown>[] {
    for (
      const [id, { seq, changeSeq }] of Object.entries(snapshot.conversations)
    ) {
      this.follow(id, seq, changeSeq);
    }
    return snapshot.outbox.map(({ id, method, data }) => this.outbox.add(method, data, true, id));
  }
}
