/**
 * Conversations, pinned ones first, then most recent first, with their last message, live unread
 * badge, a mark when an unread message mentions me, and marks for pinned and muted.
 */
import { previewText } from "../media.ts";
import { openConversation } from "../chat.ts";
import { conversationName, useStore } from "../store.ts";

export function ConversationList() {
  const { conversations, names, openId, me } = useStore();
  const sorted = Object.values(conversations).sort((a, b) =>
    Number(b.pinned) - Number(a.pinned) || (b.lastMsg?.sendTime ?? 0) - (a.lastMsg?.sendTime ?? 0)
  );
  if (sorted.length === 0) return <p class="empty">No chats yet: add a friend or join a group.</p>;
  return (
    <ul class="list" data-testid="conversations">
      {sorted.map((c) => (
        <li key={c.conversationId}>
          <button
            type="button"
            class="row"
            aria-current={c.conversationId === openId}
            data-testid="conversation"
            onClick={() => void openConversation(c.conversationId)}
          >
            <span class="avatar">
              {c.chatType === 1 ? "#" : conversationName(c, names).slice(0, 1)}
            </span>
            <span class="grow">
              <strong class="name">{conversationName(c, names)}</strong>
              <span class="preview">
                {c.lastMsg
                  ? `${c.lastMsg.sendId === me?.id ? "You: " : ""}${
                    c.lastMsg.status === 1 ? "message recalled" : previewText(c.lastMsg)
                  }`
                  : "No messages yet"}
              </span>
            </span>
            {c.pinned && <span class="mark" data-testid="pinned" title="Pinned">📌</span>}
            {c.muted && <span class="mark" data-testid="muted" title="Muted">🔕</span>}
            {c.mentionUnread > 0 && (
              <span class="badge mention" data-testid="mention" title="You were mentioned">@</span>
            )}
            {c.unread > 0 && <span class="badge" data-testid="unread">{c.unread}</span>}
          </button>
        </li>
      ))}
    </ul>
  );
}
