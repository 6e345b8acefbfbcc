// The web app's service worker: shows a Web Push as a notification and opens its conversation
// on click (docs/push.md). One notification per conversation (its tag): a newer push, or the
// recall of the pushed message, replaces the one shown.
/// <reference lib="webworker" />

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  const push = event.data ? event.data.json() : null;
  if (!push || typeof push.conversationId !== "string") return;
  event.waitUntil(show(push));
});

/** The notification of a push: who wrote, what (and how many more), or that it was recalled. */
function show(push) {
  const tag = push.conversationId;
  const data = { conversationId: push.conversationId };
  if (push.type === "recall") {
    return self.registration.showNotification("Message recalled", {
      tag,
      data,
      body: "A message you were notified of was recalled.",
      silent: true,
    });
  }
  const more = push.count > 1 ? ` (+${push.count - 1} more)` : "";
  return self.registration.showNotification(push.senderName || "New message", {
    tag,
    data,
    body: `${push.preview}${more}`,
    renotify: true,
  });
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const conversationId = event.notification.data && event.notification.data.conversationId;
  if (typeof conversationId !== "string") return;
  event.waitUntil(openConversation(conversationId));
});

/** Tells an open tab of the app to open the conversation, or opens a new one at it. */
async function openConversation(conversationId) {
  const tabs = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const tab = tabs[0];
  if (tab) {
    tab.postMessage({ type: "open-conversation", conversationId });
    // Focusing needs the click's user activation; a tab that cannot be focused still opens it.
    await tab.focus().catch(() => undefined);
    return;
  }
  await self.clients.openWindow(`/?conversation=${encodeURIComponent(conversationId)}`);
}
