/**
 * "Read by N" under my own group messages (from `read.count` pushes, and `readRecords` for my
 * last message when the chat opens); a click lists who read it (`readRecords`).
 */
import { useState } from "preact/hooks";
import type { ChatLog } from "../../../shared/client/index.ts";
import { errorText } from "../actions.ts";
import { readers } from "../features.ts";
import { useStore } from "../store.ts";

export function ReadBy(
  { message, onError }: { message: ChatLog; onError: (text: string) => void },
) {
  const { readCounts, names } = useStore();
  const [who, setWho] = useState<string[]>();
  const count = readCounts[message.conversationId]?.[message.seq];
  if (count === undefined || count === 0) return null;
  async function show() {
    if (who) return setWho(undefined);
    try {
      setWho(await readers(message.conversationId, message.seq));
    } catch (error) {
      onError(errorText(error));
    }
  }
  return (
    <span class="read-by">
      <button type="button" class="link" data-testid="read-by" onClick={() => void show()}>
        Read by {count}
      </button>
      {who && (
        <span class="readers" data-testid="readers">
          {who.map((userId) => names[userId] ?? userId.slice(0, 6)).join(", ")}
        </span>
      )}
    </span>
  );
}
