/** The pinned messages above a chat, newest pin first; a click jumps to the message. */
import { jumpTo } from "../features.ts";
import { useStore } from "../store.ts";

export function PinnedBar({ conversationId }: { conversationId: string }) {
  const { pins } = useStore();
  const pinned = pins[conversationId] ?? [];
  if (pinned.length === 0) return null;
  return (
    <div class="pinned-bar" data-testid="pinned-bar">
      <span aria-hidden="true">📌</span>
      {pinned.map((message) => (
        <button
          type="button"
          class="link pinned"
          key={message.msgId}
          data-testid="pinned"
          onClick={() => void jumpTo(message)}
        >
          {message.content}
        </button>
      ))}
    </div>
  );
}
