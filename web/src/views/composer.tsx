/**
 * The message box: a new text, a reply (the quoted message shown above it) or an edit of my
 * own; in groups, a picker that adds `@name` (or `@all`) and mentions that member; files by the
 * attach button or pasted into the box, and voice notes.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { ChatLog, components } from "../../../shared/client/index.ts";
import { errorText } from "../actions.ts";
import { sendTyping } from "../chat.ts";
import { previewText } from "../media.ts";
import { api, type Conversation, unwrap, useStore } from "../store.ts";
import { MediaAttach } from "./media-attach.tsx";

type GroupMember = components["schemas"]["GroupMember"];

const MENTION_ALL = "all";

interface Props {
  conversation: Conversation;
  replying: ChatLog | undefined;
  editing: ChatLog | undefined;
  onCancel: () => void;
  onSubmit: (content: string, mentions: string[]) => void;
  onError: (text: string) => void;
  /** Files picked or pasted, to send as media. */
  onFiles: (files: File[]) => void;
  onVoice: (blob: Blob, durationMs: number) => void;
}

/** "@all" as a word of its own. */
const MENTIONS_ALL = new RegExp(`(^|\\s)@${MENTION_ALL}(\\s|$)`);

export function Composer(
  { conversation, replying, editing, onCancel, onSubmit, onError, onFiles, onVoice }: Props,
) {
  const { me, names } = useStore();
  const input = useRef<HTMLInputElement>(null);
  const [members, setMembers] = useState<GroupMember[]>([]);
  /** "@name" → userId, for the members picked since the last send. */
  const picked = useRef(new Map<string, string>());
  const { conversationId, chatType, targetId } = conversation;
  const [myRole, setMyRole] = useState(3);
  /** Only a group's creator and managers may mention everyone (the server says 403 otherwise). */
  const mayMentionAll = myRole <= 2;

  useEffect(() => {
    if (chatType !== 1) return setMembers([]);
    unwrap(api.GET("/v1/social/group/users", { params: { query: { groupId: targetId } } }))
      .then(({ list }) => {
        setMyRole(list.find((member) => member.userId === me?.id)?.roleLevel ?? 3);
        setMembers(list.filter((member) => member.userId !== me?.id));
      })
      .catch((error) => onError(errorText(error)));
  }, [conversationId]);

  useEffect(() => {
    if (!input.current) return;
    input.current.value = editing?.content ?? input.current.value;
    input.current.focus();
  }, [editing, replying]);

  function mention(value: string) {
    const box = input.current;
    if (!box || !value) return;
    const name = value === MENTION_ALL
      ? MENTION_ALL
      : members.find((m) => m.userId === value)?.nickname ?? value;
    if (value !== MENTION_ALL) picked.current.set(`@${name}`, value);
    box.value = `${box.value}${box.value && !box.value.endsWith(" ") ? " " : ""}@${name} `;
    box.focus();
  }

  function cancel() {
    // An edit's text was put in the box for it: it goes with the edit.
    if (editing && input.current) input.current.value = "";
    onCancel();
  }

  function submit(event: SubmitEvent) {
    event.preventDefault();
    const content = input.current?.value.trim() ?? "";
    if (!content) return;
    if (input.current) input.current.value = "";
    // "@all" as a word mentions everyone (creator and managers may); otherwise the members
    // still named ("@allison" is neither).
    const mentions = MENTIONS_ALL.test(content) && mayMentionAll
      ? [MENTION_ALL]
      : [...picked.current].filter(([tag]) => content.includes(tag)).map(([, id]) => id);
    picked.current.clear();
    onSubmit(content, chatType === 1 ? mentions : []);
  }

  const quoted = replying && (names[replying.sendId] ?? "them");
  return (
    <>
      {(replying || editing) && (
        <div class="composing" data-testid="composing">
          <span class="grow">
            {editing
              ? "Editing your message"
              : `Replying to ${quoted}: ${replying ? previewText(replying) : ""}`}
          </span>
          <button type="button" class="link" onClick={cancel}>Cancel</button>
        </div>
      )}
      <form class="composer" onSubmit={submit}>
        {chatType === 1 && members.length > 0 && !editing && (
          <select
            aria-label="Mention"
            value=""
            onChange={(event) => mention((event.currentTarget as HTMLSelectElement).value)}
          >
            <option value="">@</option>
            {mayMentionAll && <option value={MENTION_ALL}>everyone</option>}
            {members.map((m) => <option key={m.userId} value={m.userId}>{m.nickname}</option>)}
          </select>
        )}
        {!editing && <MediaAttach onFiles={onFiles} onVoice={onVoice} onError={onError} />}
        <input
          ref={input}
          name="text"
          autocomplete="off"
          placeholder="Message"
          aria-label="Message"
          onInput={() => sendTyping(conversationId)}
          onPaste={(event) => {
            // A pasted picture or file is sent as media; pasted text stays text.
            const files = [...(event.clipboardData?.files ?? [])];
            if (files.length === 0 || editing) return;
            event.preventDefault();
            onFiles(files);
          }}
        />
        <button type="submit">{editing ? "Save" : "Send"}</button>
      </form>
    </>
  );
}
