/**
 * How the one client talks to each system. The app: a socket per user at `/v1/im/ws?token=`, and
 * `conversation.chat` names the recipient (user or group). The baseline: a socket joins a room
 * (one Durable Object) named in the URL, and a request is broadcast to the rest of the room.
 */

function wsBase(url) {
  return `ws://${url.host}`;
}

/** The app under test. */
export function appTarget(app) {
  return {
    name: "app",
    /** `room` is ignored: the app routes by user (UserSession) and by conversation. */
    socketUrl: (user) => `${wsBase(app.url)}/v1/im/ws?token=${user.token}`,
    /** `to` = `{chatType: 2, recvId: userId}` or `{chatType: 1, recvId: groupId}`. */
    chatData: (to, content) => ({ ...to, msg: { mType: 0, content } }),
  };
}

/** The baseline Worker + Room object. */
export function baselineTarget(baseline) {
  return {
    name: "baseline",
    socketUrl: (user, room) =>
      `${wsBase(baseline.url)}/ws?room=${encodeURIComponent(room ?? user.id)}&user=${
        encodeURIComponent(user.id)
      }`,
    chatData: (_to, content) => ({ msg: { mType: 0, content } }),
  };
}

/** The baseline's per-user shape: a Box object per user, a Hub per room, one RPC per member. */
export function boxBaselineTarget(baseline) {
  return {
    name: "baseline (object per user)",
    socketUrl: (user, room) =>
      `${wsBase(baseline.url)}/wsbox?room=${encodeURIComponent(room ?? user.id)}&user=${
        encodeURIComponent(user.id)
      }`,
    chatData: (_to, content) => ({ msg: { mType: 0, content } }),
  };
}

/** Stand-in users for the baseline (it has no accounts). */
export function baselineUsers(count, label) {
  return Array.from({ length: count }, (_, i) => ({ id: `${label}${i}` }));
}
