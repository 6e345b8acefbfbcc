/**
 * One chat: its messages (scrolling up loads older ones), who is typing, whether the other side
 * of a single chat has read my last message, and the composer.
 */
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { errorText } from "../actions.ts";
import { loadOlder, sendText, sendTyping } from "../chat.ts";
import { conversationName, setState, useStore } from "../store.ts";

export function ChatView({ conversationId }: { conversationId: string }) {
  const { conversations, messages, names, me, typingUntil, peerRead, hasOlder } = useStore();
  const conversation = conversations[conversationId];
  const list = messages[conversationId] ?? [];
  const scroller = useRef<HTMLDivElement>(null);
  const keepFromBottom = useRef<number | undefined>(undefined);
  const [sending, setSending] = useState<string[]>([]);
  const [error, setError] = useState<string>();

  // New messages scroll to the bottom; older pages keep the reader's place.
  useLayoutEffect(() => {
    const box = scroller.current;
    if (!box) return;
    if (keepFromBottom.current !== undefined) {
      box.scrollTop = box.scrollHeight - keepFromBottom.current;
    } else box.scrollTop = box.scrollHeight;
    keepFromBottom.current = undefined;
  }, [list.length, conversationId]);

  useEffect(() => setError(undefined), [conversationId]);

  async function onScroll() {
    const box = scroller.current;
    if (
      !box || box.scrollTop > 40 || !hasOlder[conversationId] ||
      keepFromBottom.current !== undefined
    ) return;
    keepFromBottom.current = box.scrollHeight - box.scrollTop;
    if (!(await loadOlder(conversationId))) keepFromBottom.current = undefined;
  }

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem(
      "text",
    ) as HTMLInputElement;
    const content = input.value.trim();
    if (!content || !conversation) return;
    input.value = "";
    setSending((now) => [...now, content]);
    try {
      await sendText(conversation, content);
    } catch (thrown) {
      setError(errorText(thrown));
    } finally {
      setSending((now) => now.filter((text, i) => text !== content || i !== now.indexOf(content)));
    }
  }

  if (!conversation) return <p class="empty">Loading…</p>;
  const typing = (typingUntil[conversationId] ?? 0) > Date.now();
  const lastMine = list.filter((m) => m.sendId === me?.id).at(-1);
  const seenByPeer = conversation.chatType === 2 && lastMine &&
    (peerRead[conversationId] ?? 0) >= lastMine.seq;
  return (
    <section class="chat">
      <header class="chat-head">
        <button type="button" class="link back" onClick={() => setState({ openId: undefined })}>
          ‹ Back
        </button>
        <strong data-testid="chat-title">{conversationName(conversation, names)}</strong>
        {typing && <span class="typing" data-testid="typing">typing…</span>}
      </header>
      <div class="messages" ref={scroller} onScroll={() => void onScroll()} data-testid="messages">
        {hasOlder[conversationId] && <p class="older">Scroll up for older messages</p>}
        {list.map((m) => (
          <div
            key={m.seq}
            class={`bubble ${m.sendId === me?.id ? "mine" : ""}`}
            data-testid="message"
            data-seq={m.seq}
          >
            {conversation.chatType === 1 && m.sendId !== me?.id && (
              <small>{names[m.sendId] ?? m.sendId.slice(0, 6)}</small>
            )}
            <span class="text">{m.content}</span>
            {m === lastMine && seenByPeer && (
              <small class="read" data-testid="read-mark">Read</small>
            )}
          </div>
        ))}
        {sending.map((text, i) => (
          <div key={`sending-${i}`} class="bubble mine pending">
            {text} <small>sending…</small>
          </div>
        ))}
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      <form class="composer" onSubmit={submit}>
        <input
          name="text"
          autocomplete="off"
          placeholder="Message"
          aria-label="Message"
          onInput={() => sendTyping(conversationId)}
        />
        <button type="submit">Send</button>
      </form>
    </section>
  );
}
