#!/usr/bin/env -S deno run -A
/**
 * `deno run -A bench/bursts.mjs [base URL] [state dir]`: the bursts an attacker with one ordinary
 * account would send (CONTRACT §9), against a running server (`deno task start`), with the count
 * of each answer. With the state dir of `wrangler dev` (default `.wrangler/state`), it also
 * counts the Conversation objects that hold storage before and after the refused requests.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import { DatabaseSync } from "node:sqlite";

const base = process.argv[2] ?? "http://localhost:8787";
const stateDir = process.argv[3] ?? ".wrangler/state";
const JSON_TYPE = { "Content-Type": "application/json" };

function randomHex() {
  return crypto.randomUUID().replaceAll("-", "");
}

function randomPhone() {
  return `1${String(Math.floor(Math.random() * 1e10)).padStart(10, "0")}`;
}

async function call(method, route, { token, body, headers = {} } = {}) {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: {
      ...(body !== undefined ? JSON_TYPE : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { raw: text };
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** `count` requests at once; returns "status × n" counts. */
async function burst(count, send) {
  const answers = await Promise.all(Array.from({ length: count }, (_, i) => send(i)));
  const counts = {};
  for (const answer of answers) counts[answer.status] = (counts[answer.status] ?? 0) + 1;
  const retry = answers.find((answer) => answer.status === 429)?.headers.get("Retry-After");
  const shown = Object.entries(counts).map(([status, n]) => `${n} × ${status}`).join(", ");
  return `${shown}${retry ? ` (Retry-After: ${retry} s)` : ""}`;
}

/**
 * Conversation objects whose SQLite file holds a table of the app's: local workerd opens a file
 * for every object it wakes, and Miniflare keeps the object's name in `__miniflare_do_name`; the
 * runtime's own tables (`_cf_…`, `__…`) are not the app's storage.
 */
function conversationObjects() {
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
    return "n/a";
  }
  return found;
}

async function register(nickname) {
  const phone = randomPhone();
  const answer = await call("POST", "/v1/user/register", {
    body: { phone, password: "correct horse", nickname },
    headers: { "CF-Connecting-IP": `198.51.100.${Math.floor(Math.random() * 250)}` },
  });
  if (answer.status !== 200) throw new Error(`register: ${JSON.stringify(answer.body)}`);
  const me = await call("GET", "/v1/user/user", { token: answer.body.data.token });
  return { phone, token: answer.body.data.token, id: me.body.data.info.id };
}

const line = (what, result) => console.log(`${what.padEnd(62)} ${result}`);

const alice = await register("Alice");
const bob = await register("Bob");
const request = await call("POST", "/v1/social/friend/putIn", {
  token: alice.token,
  body: { userUid: bob.id },
});
await call("PUT", "/v1/social/friend/putIn", {
  token: bob.token,
  body: { friendReqId: request.body.data.id, handleResult: 2 },
});

line(
  "60 wrong-password logins for one phone, at once",
  await burst(
    60,
    () => call("POST", "/v1/user/login", { body: { phone: alice.phone, password: "wrong horse" } }),
  ),
);
line(
  "40 registrations at once from one client",
  await burst(40, () =>
    call("POST", "/v1/user/register", {
      body: { phone: randomPhone(), password: "correct horse", nickname: "Burst" },
      headers: { "CF-Connecting-IP": "203.0.113.7" },
    })),
);
const before = conversationObjects();
line(
  "50 GET chatlog of random 32-hex conversation ids",
  await burst(
    50,
    () => call("GET", `/v1/im/chatlog?conversationId=${randomHex()}`, { token: bob.token }),
  ),
);
line(
  "50 GET chatlog of <my id>_<random> single chats",
  await burst(50, () => {
    const other = randomHex();
    const id = [bob.id, other].sort().join("_");
    return call("GET", `/v1/im/chatlog?conversationId=${id}`, { token: bob.token });
  }),
);
line(
  "Conversation objects holding storage, before → after",
  `${before} → ${conversationObjects()}`,
);
line(
  "300 POST /v1/im/chat to a friend, at once",
  await burst(300, (i) =>
    call("POST", "/v1/im/chat", {
      token: alice.token,
      body: {
        chatType: 2,
        recvId: bob.id,
        msg: { mType: 0, content: `m${i}` },
        clientMsgId: `b-${i}`,
      },
    })),
);
line(
  "40 GET /v1/social/friends/online, at once",
  await burst(40, () => call("GET", "/v1/social/friends/online", { token: bob.token })),
);
const logout = await call("POST", "/v1/user/logout", { token: bob.token, body: {} });
const after = await call("GET", "/v1/user/user", { token: bob.token });
line("logout, then the same token", `${logout.status}, then ${after.status} ${after.body.code}`);
const preflight = await fetch(`${base}/v1/user/user`, {
  method: "OPTIONS",
  headers: { Origin: "https://app.example", "Access-Control-Request-Method": "GET" },
});
line(
  "CORS preflight from another origin (empty ALLOWED_ORIGINS)",
  `${preflight.status}, Allow-Origin: ${preflight.headers.get("Access-Control-Allow-Origin")}`,
);
