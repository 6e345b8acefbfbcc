/** The shell: the login screen, or the tabs (chats, friends, groups) beside the open chat. */
import { useState } from "preact/hooks";
import { signOut } from "./chat.ts";
import { enableNotifications, pushSupported } from "./push.ts";
import { setState, useStore } from "./store.ts";
import { AuthView } from "./views/auth.tsx";
import { ChatView } from "./views/chat-view.tsx";
import { ConversationList } from "./views/conversation-list.tsx";
import { FriendsView } from "./views/friends.tsx";
import { GroupsView } from "./views/groups.tsx";
import { SearchBox } from "./views/search-box.tsx";

type Tab = "chats" | "friends" | "groups";

export function App() {
  const { token, me, connection, openId, conversations, pushNotice, invitations } = useStore();
  const [tab, setTab] = useState<Tab>("chats");
  if (!token || !me) return <AuthView />;
  const unread = Object.values(conversations).reduce((sum, c) => sum + c.unread, 0);
  return (
    <div class={`shell ${openId ? "chat-open" : ""}`}>
      {connection !== "open" && (
        <div class="banner" role="status" data-testid="connection">
          {connection === "connecting" ? "Connecting…" : "Reconnecting…"}
        </div>
      )}
      <aside class="side">
        <header class="me">
          <strong data-testid="me">{me.nickname}</strong>
          <button type="button" class="link" onClick={() => void signOut()}>Log out</button>
        </header>
        {pushSupported() && (
          <p class="push">
            <button
              type="button"
              class="link"
              data-testid="enable-push"
              onClick={() =>
                void enableNotifications().catch((error) =>
                  setState({ pushNotice: `Notifications could not be turned on: ${error}` })
                )}
            >
              Enable notifications
            </button>
            {pushNotice && <small role="status">{pushNotice}</small>}
          </p>
        )}
        <nav class="tabs">
          <button type="button" aria-pressed={tab === "chats"} onClick={() => setTab("chats")}>
            Chats {unread > 0 && <span class="badge">{unread}</span>}
          </button>
          <button type="button" aria-pressed={tab === "friends"} onClick={() => setTab("friends")}>
            Friends
          </button>
          <button type="button" aria-pressed={tab === "groups"} onClick={() => setTab("groups")}>
            Groups {invitations.length > 0 && <span class="badge">{invitations.length}</span>}
          </button>
        </nav>
        {tab === "chats" && <SearchBox />}
        {tab === "chats" && <ConversationList />}
        {tab === "friends" && <FriendsView onChat={() => setTab("chats")} />}
        {tab === "groups" && <GroupsView onChat={() => setTab("chats")} />}
      </aside>
      <main class="main">
        {openId ? <ChatView conversationId={openId} /> : <p class="empty">Pick a chat.</p>}
      </main>
    </div>
  );
}
