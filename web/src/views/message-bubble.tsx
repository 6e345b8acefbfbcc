/**
 * One message in a chat: who sent it (groups), the message it replies to, its media and text
 * (or that it was recalled), "edited", the read mark, and what I may do with it.
 */
import type { ChatLog } from "../../../shared/client/index.ts";
import { errorText } from "../actions.ts";
import { canEdit, canRecall, deleteForMe, mentions, recallMessage } from "../lifecycle.ts";
import { isPinned, togglePin } from "../features.ts";
import { useStore } from "../store.ts";
import { MediaContent } from "./media-content.tsx";
import { Reactions } from "./reactions.tsx";
import { ReadBy } from "./read-by.tsx";

interface Props {
  message: ChatLog;
  inGroup: boolean;
  /** The other side of a single chat has read this (my last) message. */
  seen: boolean;
  onReply: () => void;
  onEdit: () => void;
  onError: (text: string) => void;
}

export function MessageBubble({ message: m, inGroup, seen, onReply, onEdit, onError }: Props) {
  const { me, names, highlight } = useStore();
  const mine = m.sendId === me?.id;
  const recalled = m.status === 1;
  const nameOf = (userId: string) =>
    userId === me?.id ? "You" : names[userId] ?? userId.slice(0, 6);
  const run = (action: Promise<unknown>) => action.catch((error) => onError(errorText(error)));
  const highlighted = highlight?.conversationId === m.conversationId && highlight.seq === m.seq;
  const classes = [
    "bubble",
    mine && "mine",
    !mine && mentions(m, me?.id) && "mentioned",
    highlighted && "highlight",
  ];
  return (
    <div class={classes.filter(Boolean).join(" ")} data-testid="message" data-seq={m.seq}>
      {inGroup && !mine && <small>{nameOf(m.sendId)}</small>}
      {m.replyTo && (
        <blockquote class="quote" data-testid="quote">
          <small>{nameOf(m.replyTo.sendId)}</small>
          <span class="quote-text">{m.replyTo.preview || "message recalled"}</span>
        </blockquote>
      )}
      {recalled ? <span class="text recalled">message recalled</span> : (
        <>
          {m.media && <MediaContent media={m.media} />}
          {m.content && <span class="text">{m.content}</span>}
        </>
      )}
      {m.editTime > 0 && !recalled && <small class="edited" data-testid="edited">edited</small>}
      {seen && <small class="read" data-testid="read-mark">Read</small>}
      <Reactions message={m} onError={onError} />
      {mine && inGroup && <ReadBy message={m} onError={onError} />}
      <span class="actions">
        {!recalled && <button type="button" class="link" onClick={onReply}>Reply</button>}
        {canEdit(m, me?.id) && <button type="button" class="link" onClick={onEdit}>Edit</button>}
        {canRecall(m, me?.id) && (
          <button
            type="button"
            class="link"
            onClick={() => void run(recallMessage(m))}
          >
            Recall
          </button>
        )}
        {!recalled && (
          <button type="button" class="link" onClick={() => void run(togglePin(m))}>
            {isPinned(m) ? "Unpin" : "Pin"}
          </button>
        )}
        <button type="button" class="link" onClick={() => void run(deleteForMe(m))}>
          Delete
        </button>
      </span>
    </div>
  );
}
