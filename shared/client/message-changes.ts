/**
 * Applying a recall, an edit or a reaction to the messages an app holds: state, not delta, so
 * applying one twice changes nothing; and the replies that quote the message get its new
 * preview. A pin changes no message (an app keeps its pinned bar apart: `applyPinChange`).
 */
import type {
  ChatLog,
  EditedMessage,
  MessageChange,
  PinChange,
  ReactionChange,
  Recall,
} from "./protocol.ts";
import { replyPreview } from "./reply-preview.ts";

export type { EditedMessage, MessageChange, Recall };

/**
 * `messages` with `change` applied: the message itself (a recall clears it; an edit replaces it
 * whole, unless it is recalled, which is final, or the app holds a later edit) and the previews
 * of the replies quoting it. Returns the same array when nothing in it changes.
 */
export function applyMessageChange(
  messages: ChatLog[],
  change: MessageChange,
  userId?: string,
): ChatLog[] {
  if (change.method === "pin") return messages;
  if (change.method === "reaction") return applyReaction(messages, change.data, userId);
  const target = change.data.msgId;
  const preview = change.method === "recall" ? "" : replyPreview(change.data.content);
  let changed = false;
  const next = messages.map((message) => {
    let updated = message;
    if (message.msgId === target) updated = changedMessage(message, change);
    if (
      updated.replyTo?.msgId === target && updated.replyTo.preview !== preview
    ) {
      updated = { ...updated, replyTo: { ...updated.replyTo, preview } };
    }
    if (updated !== message) changed = true;
    return updated;
  });
  return changed ? next : messages;
}

function changedMessage(
  message: ChatLog,
  change: Extract<MessageChange, { method: "recall" | "edit" }>,
): ChatLog {
  if (change.method === "recall") {
    // As the server stores it: no content or media, nobody mentioned, no reactions any more.
    return message.status === 1 && message.content === "" &&
        message.mentions.length === 0 && message.media === null && !message.reactions?.length
      ? message
      : { ...message, status: 1, content: "", mentions: [], media: null, reactions: [] };
  }
  const { changeSeq: _changeSeq, ...edited } = change.data;
  if (message.status === 1 || edited.editTime <= message.editTime) {
    return message;
  }
  // An edit push carries no reactions: the ones held stay.
  return message.reactions ? { ...edited, reactions: message.reactions } : edited;
}

/**
 * `messages` with a reaction applied: the emoji's count as the server counted it, `me` from
 * the change when it is `userId`'s own. A recalled message takes none.
 */
function applyReaction(
  messages: ChatLog[],
  change: ReactionChange,
  userId: string | undefined,
): ChatLog[] {
  const index = messages.findIndex((message) => message.msgId === change.msgId);
  const message = messages[index];
  if (!message || message.status === 1) return messages;
  const reactions = [...(message.reactions ?? [])];
  const at = reactions.findIndex((reaction) => reaction.emoji === change.emoji);
  const me = change.userId === userId ? change.on : (reactions[at]?.me ?? false);
  if (change.count === 0) {
    if (at >= 0) reactions.splice(at, 1);
  } else if (at >= 0) {
    reactions[at] = { emoji: change.emoji, count: change.count, me };
  } else {
    reactions.push({ emoji: change.emoji, count: change.count, me });
  }
  const next = [...messages];
  next[index] = { ...message, reactions };
  return next;
}

/**
 * An app's pinned messages (newest pin first, as `GET /v1/im/chat/pins` lists them) with a pin
 * change applied: an unpinned message leaves; a pinned one comes first, taken from `messages`
 * (the ones the app holds) — one it does not hold is for the app to fetch with the pins list.
 */
export function applyPinChange(
  pinned: ChatLog[],
  change: PinChange,
  messages: readonly ChatLog[] = [],
): ChatLog[] {
  const rest = pinned.filter((message) => message.msgId !== change.msgId);
  if (!change.pinned) return rest.length === pinned.length ? pinned : rest;
  const message = pinned.find((m) => m.msgId === change.msgId) ??
    messages.find((m) => m.msgId === change.msgId);
  return message ? [message, ...rest] : pinned;
}
