/**
 * One chat: its messages (scrolling up loads older ones), who is typing, whether the other side
 * of a single chat has read my last message, the composer (new text, reply or edit), and media:
 * files dropped anywhere on the chat are sent, with a progress bar per upload.
 */
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { ChatLog } from "../../../shared/client/index.ts";
import { errorText } from "../actions.ts";
import { loadOlder, sendText } from "../chat.ts";
import { editMessage } from "../lifecycle.ts";
import { setSetting } from "../push.ts";
import { conversationName, type GroupLeaving, setState, useStore } from "../store.ts";
import { Composer } from "./composer.tsx";
import { UploadProgress, useMediaSender } from "./media-attach.tsx";
import { MessageBubble } from "./message-bubble.tsx";
import { PinnedBar } from "./pinned-bar.tsx";

/** What a group's chat says once I am out of it (`group.removed`); its history stays readable. */
const LEFT_TEXT: Record<GroupLeaving, string> = {
  kicked: "You were removed from this group.",
  dissolved: "This group was dissolved.",
  quit: "You left this group.",
};

export function ChatView({ conversationId }: { conversationId: string }) {
  const {
    conversations,
    messages,
    names,
    me,
    typingUntil,
    peerRead,
    hasOlder,
    highlight,
    leftGroups,
  } = useStore();
  const conversation = conversations[conversationId];
  const left = conversation?.chatType === 1 ? leftGroups[conversation.targetId] : undefined;
  const list = messages[conversationId] ?? [];
  const scroller = useRef<HTMLDivElement>(null);
  const keepFromBottom = useRef<number | undefined>(undefined);
  const [sending, setSending] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [replying, setReplying] = useState<ChatLog>();
  const [editing, setEditing] = useState<ChatLog>();
  const media = useMediaSender(conversation, setError);

  // New messages scroll to the bottom; older pages keep the reader's place.
  useLayoutEffect(() => {
    const box = scroller.current;
    if (!box) return;
    if (keepFromBottom.current !== undefined) {
      box.scrollTop = box.scrollHeight - keepFromBottom.current;
    } else box.scrollTop = box.scrollHeight;
    keepFromBottom.current = undefined;
  }, [list.length, conversationId]);

  // A search result jumped here: its message is scrolled into view.
  useEffect(() => {
    if (highlight?.conversationId !== conversationId) return;
    scroller.current?.querySelector(`[data-seq="${highlight.seq}"]`)?.scrollIntoView({
      block: "center",
    });
  }, [highlight, conversationId, list.length]);

  useEffect(() => {
    setError(undefined);
    setReplying(undefined);
    setEditing(undefined);
  }, [conversationId]);

  async function onScroll() {
    const box = scroller.current;
    if (
      !box || box.scrollTop > 40 || !hasOlder[conversationId] ||
      keepFromBottom.current !== undefined
    ) return;
    keepFromBottom.current = box.scrollHeight - box.scrollTop;
    if (!(await loadOlder(conversationId))) keepFromBottom.current = undefined;
  }

  async function submit(content: string, mentions: string[]) {
    if (!conversation) return;
    const [edited, replyTo] = [editing, replying?.msgId];
    setEditing(undefined);
    setReplying(undefined);
    if (edited) {
      await editMessage(edited, content).catch((thrown) => setError(errorText(thrown)));
      return;
    }
    setSending((now) => [...now, content]);
    try {
      await sendText(conversation, content, {
        ...(replyTo && { replyTo }),
        ...(mentions.length > 0 && { mentions }),
      });
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
    <section
      class="chat"
      onDragOver={(event) => event.preventDefault()}
      onDrop={(event) => {
        const files = [...(event.dataTransfer?.files ?? [])];
        if (files.length === 0) return;
        event.preventDefault();
        media.sendFiles(files);
      }}
    >
      <header class="chat-head">
        <button type="button" class="link back" onClick={() => setState({ openId: undefined })}>
          ‹ Back
        </button>
        <strong data-testid="chat-title">{conversationName(conversation, names)}</strong>
        {typing && <span class="typing" data-testid="typing">typing…</span>}
        <span class="menu">
          <button
            type="button"
            class="link"
            onClick={() =>
              void setSetting(conversationId, { muted: !conversation.muted }).catch((thrown) =>
                setError(errorText(thrown))
              )}
          >
            {conversation.muted ? "Unmute chat" : "Mute chat"}
          </button>
          <button
            type="button"
            class="link"
            onClick={() =>
              void setSetting(conversationId, { pinned: !conversation.pinned }).catch((thrown) =>
                setError(errorText(thrown))
              )}
          >
            {conversation.pinned ? "Unpin chat" : "Pin chat"}
          </button>
        </span>
      </header>
      <PinnedBar conversationId={conversationId} />
      <div class="messages" ref={scroller} onScroll={() => void onScroll()} data-testid="messages">
        {hasOlder[conversationId] && <p class="older">Scroll up for older messages</p>}
        {list.map((m) => (
          <MessageBubble
            key={m.seq}
            message={m}
            inGroup={conversation.chatType === 1}
            seen={m === lastMine && !!seenByPeer}
            onReply={() => {
              setEditing(undefined);
              setReplying(m);
            }}
            onEdit={() => {
              setReplying(undefined);
              setEditing(m);
            }}
            onError={setError}
          />
        ))}
        {sending.map((text, i) => (
          <div key={`sending-${i}`} class="bubble mine pending">
            {text} <small>sending…</small>
          </div>
        ))}
      </div>
      <UploadProgress uploads={media.uploads} />
      {error && <p class="error" role="alert">{error}</p>}
      {left && <p class="notice" role="status" data-testid="group-left">{LEFT_TEXT[left]}</p>}
      {!left && (
        <Composer
          conversation={conversation}
          replying={replying}
          editing={editing}
          onCancel={() => {
            setReplying(undefined);
            setEditing(undefined);
          }}
          onSubmit={(content, mentions) => void submit(content, mentions)}
          onError={setError}
          onFiles={media.sendFiles}
          onVoice={(blob, durationMs) =>
            void media.send(blob, { kind: "voice", name: "voice note", durationMs })}
        />
      )}
    </section>
  );
}
