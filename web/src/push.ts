/**
 * Notifications in the web app (docs/push.md): the service worker (`/sw.js`) is registered and
 * the browser asked for permission only from the "Enable notifications" button, never on load;
 * a notification's click opens its conversation (a message from the service worker, or
 * `?conversation=` when it opened a new tab). Mute and pin are the user's own settings.
 */
import { PushNotifications, setConversationSettings } from "../../shared/client/index.ts";
import { openConversation } from "./chat.ts";
import { api, setState } from "./store.ts";

/** True where this browser can receive Web Push at all. */
export function pushSupported(): boolean {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

/** The button's action: permission, the service worker, the subscription on the server. */
export async function enableNotifications(): Promise<void> {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") {
    setState({ pushNotice: "Notifications are blocked for this site in your browser." });
    return;
  }
  await navigator.serviceWorker.register("/sw.js");
  const registration = await navigator.serviceWorker.ready;
  await new PushNotifications(api).subscribePush(registration);
  setState({ pushNotice: "Notifications are on for this device." });
}

let following = false;

/** Opens the conversation a notification was clicked for, now and whenever it happens. */
export function followNotificationClicks(): void {
  const wanted = new URLSearchParams(location.search).get("conversation");
  if (wanted) {
    history.replaceState(null, "", location.pathname);
    void openConversation(wanted);
  }
  if (following || !("serviceWorker" in navigator)) return;
  following = true;
  navigator.serviceWorker.addEventListener("message", (event: MessageEvent) => {
    const message = event.data as { type?: string; conversationId?: unknown };
    if (message?.type === "open-conversation" && typeof message.conversationId === "string") {
      void openConversation(message.conversationId);
    }
  });
}

/** Mutes or pins a conversation for this user, on every device. */
export async function setSetting(
  conversationId: string,
  setting: { muted: boolean } | { pinned: boolean },
): Promise<void> {
  await setConversationSettings(api, { [conversationId]: setting });
  setState((s) => {
    const conversation = s.conversations[conversationId];
    if (!conversation) return {};
    return {
      conversations: { ...s.conversations, [conversationId]: { ...conversation, ...setting } },
    };
  });
}
