#!/usr/bin/env -S deno run -A
// Findings 1 and 8 of issue 24 ("forced group membership"; readRecords of a former member and
// blocking a stranger), replayed against a running service as attackers with ordinary accounts
// would: ten accounts that are not the victim's friends each create 50 groups and invite the
// victim into every one; then what the victim can still do. Prints the counts.
//   deno run -A bench/attacks/groups.mjs http://127.0.0.1:8787 [.wrangler/state]
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import { DatabaseSync } from "node:sqlite";

const base = (process.argv[2] ?? "http://127.0.0.1:8787").replace(/\/$/, "");
const stateDir = process.argv[3] ?? ".wrangler/state";
const ATTACKERS = 10;
const GROUPS_EACH = 50;
// A fresh client address per run, so the per-IP registration limit of earlier runs never bites.
const runIp = `10.${rand(250)}.${rand(250)}.${rand(250)}`;

function rand(n) {
  return randomBytes(2).readUInt16BE() % n;
}

function phone() {
  return `1${Date.now() % 1e8}${String(rand(9999)).padStart(4, "0")}`;
}

async function call(method, route, { token, body } = {}) {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: {
      "CF-Connecting-IP": runIp,
      ...(body !== undefined && { "Content-Type": "application/json" }),
      ...(token && { Authorization: `Bearer ${token}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

async function register(nickname) {
  const answer = await call("POST", "/v1/user/register", {
    body: { phone: phone(), password: "secret-pass", nickname },
  });
  if (answer.status !== 200) throw new Error(`register: ${answer.status} ${answer.text}`);
  const token = answer.json.data.token;
  const me = await call("GET", "/v1/user/user", { token });
  return { token, id: me.json.data.info.id };
}

/** Every item of a paged list (`{list, nextCursor}`); 0 items when the route is unknown. */
async function countAll(route, token) {
  let cursor = null;
  let count = 0;
  do {
    const separator = route.includes("?") ? "&" : "?";
    const page = await call(
      "GET",
      `${route}${separator}limit=200${cursor ? `&cursor=${cursor}` : ""}`,
      {
        token,
      },
    );
    if (page.status !== 200) return `${count} (then ${page.status})`;
    count += page.json.data.list.length;
    cursor = page.json.data.nextCursor;
  } while (cursor);
  return count;
}

/** How many statuses of each kind: "500 × 200". */
function tally(statuses) {
  const counts = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return Object.entries(counts).map(([status, n]) => `${n} × ${status}`).join(", ");
}

function line(what, result) {
  console.log(`${what.padEnd(52)} ${result}`);
}

/** One attacker: GROUPS_EACH groups, the victim invited into each; the invites' statuses. */
async function attack(victim, index) {
  const attacker = await register(`attacker${index}`);
  const statuses = [];
  for (let i = 0; i < GROUPS_EACH; i++) {
    const group = await call("POST", "/v1/social/group", {
      token: attacker.token,
      body: { name: `trap ${i}` },
    });
    if (group.status !== 200) {
      statuses.push(`create ${group.status}`);
      continue;
    }
    const invite = await call("POST", "/v1/social/group/putIn", {
      token: attacker.token,
      body: { groupId: group.json.data.id, joinSource: 1, inviteeUid: victim.id },
    });
    statuses.push(invite.status);
  }
  return statuses;
}

/**
 * Conversation objects whose SQLite file holds a table of the app's (as bench/bursts.mjs counts
 * them): local workerd opens a file for every object it wakes; the runtime's own tables (`_cf_…`,
 * `__…`) are not the app's storage.
 */
function conversationsWithTables() {
  const dir = path.join(stateDir, "v3", "do");
  let found = 0;
  try {
    for (const name of readdirSync(dir)) {
      if (!name.endsWith("Conversation")) continue;
      for (const file of readdirSync(path.join(dir, name))) {
        if (!file.endsWith(".sqlite")) continue;
        const db = new DatabaseSync(path.join(dir, name, file), { readOnly: true });
        const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()
          .filter(({ name }) => !name.startsWith("_cf_") && !name.startsWith("__"));
        db.close();
        if (tables.length > 0) found += 1;
      }
    }
  } catch {
    return NaN;
  }
  return found;
}

const victim = await register("victim");
const started = Date.now();
const statuses = (await Promise.all(
  Array.from({ length: ATTACKERS }, (_, i) => attack(victim, i)),
)).flat();
line(
  `${ATTACKERS} strangers × ${GROUPS_EACH} invites of the victim`,
  `${tally(statuses)} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
line("victim's groups (GET /v1/social/groups)", await countAll("/v1/social/groups", victim.token));
line(
  "victim's pending invitations",
  await countAll("/v1/social/group/invitations", victim.token),
);
const own = await call("POST", "/v1/social/group", { token: victim.token, body: { name: "mine" } });
line("victim's own POST /v1/social/group", `${own.status} ${own.json?.msg ?? ""}`);

// A real friend's invite still gets the victim in.
const friend = await register("friend");
const ask = await call("POST", "/v1/social/friend/putIn", {
  token: friend.token,
  body: { userUid: victim.id },
});
await call("PUT", "/v1/social/friend/putIn", {
  token: victim.token,
  body: { friendReqId: ask.json.data.id, handleResult: 2 },
});
const friendsGroup = await call("POST", "/v1/social/group", {
  token: friend.token,
  body: { name: "friends" },
});
const friendsInvite = await call("POST", "/v1/social/group/putIn", {
  token: friend.token,
  body: { groupId: friendsGroup.json.data.id, joinSource: 1, inviteeUid: victim.id },
});
line(
  "a friend's invite of the victim",
  `${friendsInvite.status} handleResult ${friendsInvite.json?.data?.handleResult ?? "-"}`,
);

// Finding 8: a kicked member's readRecords; a block of a stranger.
const owner = await register("owner");
const kicked = await register("kicked");
const later = await register("later");
for (const [a, b] of [[owner, kicked], [owner, later]]) {
  const request = await call("POST", "/v1/social/friend/putIn", {
    token: a.token,
    body: { userUid: b.id },
  });
  await call("PUT", "/v1/social/friend/putIn", {
    token: b.token,
    body: { friendReqId: request.json.data.id, handleResult: 2 },
  });
}
const group = (await call("POST", "/v1/social/group", { token: owner.token, body: { name: "g" } }))
  .json.data;
await call("POST", "/v1/social/group/putIn", {
  token: owner.token,
  body: { groupId: group.id, joinSource: 1, inviteeUid: kicked.id },
});
await call("POST", "/v1/im/chat", {
  token: owner.token,
  body: {
    chatType: 1,
    recvId: group.id,
    msg: { mType: 0, content: "hi" },
    clientMsgId: crypto.randomUUID(),
  },
});
await call("POST", "/v1/social/group/kick", {
  token: owner.token,
  body: { groupId: group.id, userId: kicked.id },
});
await call("POST", "/v1/social/group/putIn", {
  token: owner.token,
  body: { groupId: group.id, joinSource: 1, inviteeUid: later.id },
});
const records = await call(
  "GET",
  `/v1/im/chatlog/readRecords?conversationId=${group.id}&seq=1`,
  { token: kicked.token },
);
line("kicked member's readRecords", `${records.status} ${JSON.stringify(records.json?.data)}`);

const stranger = await register("stranger");
const storedBefore = conversationsWithTables();
const blocked = await call("POST", "/v1/social/block", {
  token: victim.token,
  body: { userId: stranger.id },
});
const unblocked = await call("DELETE", "/v1/social/block", {
  token: victim.token,
  body: { userId: stranger.id },
});
line(
  "block + unblock a stranger: answers, new stored conversations",
  `${blocked.status}, ${unblocked.status}; ${conversationsWithTables() - storedBefore}`,
);
