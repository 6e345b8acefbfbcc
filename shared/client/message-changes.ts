/**
 * Applying a recall or an edit to the messages an app holds: state, not delta, so applying one
 * twice changes nothing; and the replies that quote the message get its new preview.
 */
import type { ChatLog, EditedMessage, MessageChange, Recall } from "./protocol.ts";
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
): ChatLog[] {
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

function changedMessage(message: ChatLog, change: MessageChange): ChatLog {
  if (change.method === "recall") {
    // As the server stores it: no content or media, and it mentions nobody any more.
    return message.status === 1 && message.content === "" &&
        message.mentions.length === 0 && message.media === null
      ? message
      : { ...message, status: 1, content: "", mentions: [], media: null };
  }
  const { changeSeq: _changeSeq, ...edited } = change.data;
  if (message.status === 1 || edited.editTime <= message.editTime) {
    return message;
  }
  return edited;
}
