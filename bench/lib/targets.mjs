/**
 * Targets in two senses. First, the systems the one client drives (below, up to ISSUE_TARGETS);
 * then the figures issue 19 asks of a run (ISSUE_TARGETS, checkTargets).
 *
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

/*
 * The other kind of target: what the figures must reach. Issue 19's table, each entry reading
 * the result rows whose name matches `row` (one check per match: per group size, per calm
 * group), in the `column` the issue states (`ratio` = ours ÷ the row's baseline, `value` =
 * ours), against `atLeast` or `atMost`. A run marks each met / not met; a figure the run did not
 * measure (phase skipped) is listed as not measured rather than left out.
 */
const FLOOR = "ours vs the object-per-user floor";
export const ISSUE_TARGETS = [
  {
    figure: "group fan-out, ours ÷ object-per-user floor, deliveries/s",
    row: new RegExp(`^group fan-out \\d+, ${FLOOR}$`),
    column: "ratio",
    atLeast: 0.8,
  },
  {
    figure: "group fan-out, to-last-member p99, ours ÷ object-per-user floor",
    row: new RegExp(`^group fan-out \\d+, ${FLOOR} to last member p99$`),
    column: "ratio",
    atMost: 1.5,
  },
  {
    figure: "calm: deliveries/s ÷ offered",
    row: new RegExp(`^calm .*, ${FLOOR}: deliveries/s ÷ offered$`),
    column: "value",
    atLeast: 0.99,
  },
  {
    figure: "calm: to-last-member p99, ours ÷ object-per-user floor",
    row: new RegExp(`^calm .*, ${FLOOR}: to last member p99$`),
    column: "ratio",
    atMost: 2,
  },
  {
    figure: "calm: CPU per delivery, ours ÷ object-per-user floor",
    row: new RegExp(`^calm .*, ${FLOOR}: CPU per delivery$`),
    column: "ratio",
    atMost: 1.5,
  },
  {
    figure: "object calls per group message, 500 members, 10 online",
    row: /^group of 500, 10 online: object calls per group message/,
    column: "value",
    atMost: 12,
  },
  {
    figure: "idle private send→push p99 ÷ bare",
    row: /^private chat, idle send→push p99$/,
    column: "ratio",
    atMost: 2,
  },
  {
    figure: "private send→push p99 with 1,000 sockets open ÷ bare",
    row: /^private chat, \d+ sockets open send→push p99$/,
    column: "ratio",
    atMost: 2,
  },
  {
    figure: "upload of 5 MiB, ours ÷ a bare Worker piping it into R2, MiB/s",
    row: /^upload 5 MiB$/,
    column: "ratio",
    atLeast: 0.8,
  },
  {
    figure: "send→ack p99, 90 of 100 members away, Web Push on ÷ off (issue 22)",
    row: /^push: send→ack p99, 90 of 100 away, pushes on vs off$/,
    column: "ratio",
    atMost: 1.2,
  },
  {
    figure: "send→ack p99 during a 500 fan-out, ours ÷ bare",
    row: /^group fan-out 500, send→ack p99 while it runs$/,
    column: "ratio",
    atMost: 2,
  },
  // Issue 24 (CONTRACT §15 "Floods"): while one socket floods, other users keep their latency.
  {
    figure: "another user's GET p99 during a 3,000-frame flood ÷ without it",
    row: /^flood: another user's GET p99 during/,
    column: "ratio",
    atMost: 3,
  },
];

/** `[{figure, row, measured, target, met}]` for every target, `met` null when not measured. */
export function checkTargets(rows, delivery) {
  const checks = ISSUE_TARGETS.flatMap(({ figure, row, column, atLeast, atMost }) => {
    const target = atLeast === undefined ? `≤ ${atMost}` : `≥ ${atLeast}`;
    const matches = rows.filter((r) => row.test(r.name));
    if (matches.length === 0) return [{ figure, row: null, measured: null, target, met: null }];
    return matches.map((r) => {
      const measured = r[column];
      const met = measured === null
        ? null
        : atLeast === undefined
        ? measured <= atMost
        : measured >= atLeast;
      return { figure, row: `${r.name} (${column})`, measured, target, met };
    });
  });
  const bad = delivery.lost + delivery.duplicated + delivery.outOfOrder;
  checks.push({
    figure: "lost / duplicated / out of order",
    row: "delivery",
    measured: `${delivery.lost}/${delivery.duplicated}/${delivery.outOfOrder}`,
    target: "0",
    met: bad === 0,
  });
  return checks;
}
