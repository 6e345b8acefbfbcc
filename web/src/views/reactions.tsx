/**
 * A message's reactions (CONTRACT §13): a chip per emoji with its count — mine highlighted, a
 * click takes mine back or adds it — and a small picker to add another.
 */
import { useState } from "preact/hooks";
import type { ChatLog } from "../../../shared/client/index.ts";
import { errorText } from "../actions.ts";
import { PICKER_EMOJI, toggleReaction } from "../features.ts";

interface Props {
  message: ChatLog;
  onError: (text: string) => void;
}

export function Reactions({ message, onError }: Props) {
  const [picking, setPicking] = useState(false);
  if (message.status === 1) return null;
  const react = (emoji: string) => {
    setPicking(false);
    toggleReaction(message, emoji).catch((error) => onError(errorText(error)));
  };
  const reactions = message.reactions ?? [];
  return (
    <span class="reactions" data-testid="reactions">
      {reactions.map((r) => (
        <button
          type="button"
          key={r.emoji}
          class={`chip ${r.me ? "me" : ""}`}
          aria-pressed={r.me}
          data-testid="reaction"
          onClick={() => react(r.emoji)}
        >
          {r.emoji} {r.count}
        </button>
      ))}
      <button
        type="button"
        class="link react"
        aria-label="React"
        aria-expanded={picking}
        onClick={() => setPicking(!picking)}
      >
        ☺+
      </button>
      {picking && (
        <span class="picker" role="menu" data-testid="emoji-picker">
          {PICKER_EMOJI.map((emoji) => (
            <button
              type="button"
              role="menuitem"
              key={emoji}
              onClick={() => react(emoji)}
            >
              {emoji}
            </button>
          ))}
        </span>
      )}
    </span>
  );
}
