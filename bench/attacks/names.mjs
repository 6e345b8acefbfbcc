#!/usr/bin/env node
// Findings 7 and 8 of issue 24 ("names and text", "small ones"), replayed against a running
// service as an attacker with an ordinary account would: prints, for each try, what the service
// accepted (and what it stored) or refused.
//   node bench/attacks/names.mjs http://127.0.0.1:8787
import { randomBytes } from "node:crypto";
import http from "node:http";
import process from "node:process";

const base = (process.argv[2] ?? "http://127.0.0.1:8787").replace(/\/$/, "");
// A fresh client address per run, so the per-IP registration limit of earlier runs never bites.
const runIp = `10.${rand(250)}.${rand(250)}.${rand(250)}`;

function rand(n) {
  return randomBytes(2).readUInt16BE() % n;
}

function phone() {
  return `1${Date.now() % 1e8}${String(rand(9999)).padStart(4, "0")}`;
}

/** One request; `body` is JSON-encoded unless it is already a string (raw JSON text). */
async function call(method, path, { token, body, headers = {} } = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      "CF-Connecting-IP": runIp,
      ...(body !== undefined && { "Content-Type": "application/json" }),
      ...(token && { Authorization: `Bearer ${token}` }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
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

/** `"victim\u200b"`: non-printing and non-ASCII code points escaped, long runs counted. */
function shown(text) {
  if (typeof text !== "string") return JSON.stringify(text);
  const points = [...text];
  const escape = (c) => {
    const code = c.codePointAt(0);
    if (code >= 0x20 && code < 0x7f && c !== '"' && c !== "\\") return c;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  };
  let out = "";
  for (let i = 0; i < points.length;) {
    let run = 1;
    while (points[i + run] === points[i]) run++;
    out += run > 3 ? `${escape(points[i])}×${run}` : escape(points[i]).repeat(run);
    i += run;
  }
  return `"${out}" (${points.length} code points)`;
}

function verdict(answer, stored) {
  if (answer.status === 200) return `ACCEPTED, stored ${shown(stored)}`;
  return `refused ${answer.status} ${answer.json?.code ?? ""} ${answer.json?.msg ?? answer.text}`;
}

function line(what, result) {
  console.log(`${what.padEnd(44)} ${result}`);
}

async function names() {
  console.log("## Finding 7: names and text");
  const attacker = await register("Mallory");
  const friend = await register("Friend");
  const nicknames = [
    ["nickname zero-width space", JSON.stringify({ nickname: "\u200B" })],
    ["nickname victim + zero-width space", JSON.stringify({ nickname: "victim\u200B" })],
    ["nickname RLO 'exe.gnp' PDF bob", JSON.stringify({ nickname: "\u202Eexe.gnp\u202C bob" })],
    ["nickname with a newline", JSON.stringify({ nickname: "bob\nadmin" })],
    ["nickname with a tab", JSON.stringify({ nickname: "bob\tadmin" })],
    ["nickname with a NUL", JSON.stringify({ nickname: "bob\u0000" })],
    ["nickname of 24 lone surrogates (\\ud800 escapes)", `{"nickname":"${"\\ud800".repeat(24)}"}`],
  ];
  for (const [what, raw] of nicknames) {
    const answer = await call("PUT", "/v1/user/user", { token: attacker.token, body: raw });
    const me = await call("GET", "/v1/user/user", { token: attacker.token });
    line(what, verdict(answer, me.json.data.info.nickname));
  }
  const avatar = 'https://x/"><img/src=x/onerror=alert(1)>';
  const avatarAnswer = await call("PUT", "/v1/user/user", {
    token: attacker.token,
    body: { avatar },
  });
  const me = await call("GET", "/v1/user/user", { token: attacker.token });
  line('avatar https://x/"><img/src=x/onerror=…>', verdict(avatarAnswer, me.json.data.info.avatar));
  const script = await call("PUT", "/v1/user/user", {
    token: attacker.token,
    body: { avatar: "javascript:alert(1)" },
  });
  line("avatar javascript:alert(1)", verdict(script, "javascript:alert(1)"));

  const group = await call("POST", "/v1/social/group", {
    token: attacker.token,
    body: { name: "\u200B", isVerify: false },
  });
  line("group name zero-width space", verdict(group, group.json?.data?.name));
  const notice = await call("POST", "/v1/social/group", {
    token: attacker.token,
    body: { name: "Club", isVerify: false, notification: "read \u202Etxt.exe" },
  });
  line("group notice with an RLO", verdict(notice, notice.json?.data?.notification));

  // Messages need a friend: the attacker asks, the friend accepts.
  const asked = await call("POST", "/v1/social/friend/putIn", {
    token: attacker.token,
    body: { userUid: friend.id },
  });
  await call("PUT", "/v1/social/friend/putIn", {
    token: friend.token,
    body: { friendReqId: asked.json.data.id, handleResult: 2 },
  });
  const remark = await call("PUT", "/v1/social/friend/remark", {
    token: attacker.token,
    body: { friendUid: friend.id, remark: "boss\u200B" },
  });
  const friends = await call("GET", "/v1/social/friends", { token: attacker.token });
  const stored = friends.json?.data?.list?.find((f) => f.friendUid === friend.id)?.remark;
  line("remark boss + zero-width space", verdict(remark, stored));
  const send = (content) => ({
    chatType: 2,
    recvId: friend.id,
    msg: { mType: 0, content },
    clientMsgId: randomBytes(8).toString("hex"),
  });
  const raw = JSON.stringify(send("X")).replace('"X"', `"${"\\ud800".repeat(24)}"`);
  const lone = await call("POST", "/v1/im/chat", { token: attacker.token, body: raw });
  const flood = `Z${"\u030D".repeat(1500)}${"\u0329".repeat(1500)}`;
  const marks = await call("POST", "/v1/im/chat", { token: attacker.token, body: send(flood) });
  const conversationId = lone.json?.data?.conversationId ?? marks.json?.data?.conversationId;
  const log = await call(
    "GET",
    `/v1/im/chatlog?conversationId=${conversationId}&afterSeq=0&count=10`,
    { token: attacker.token },
  );
  const content = (seq) => log.json?.data?.list?.find((m) => m.seq === seq)?.content;
  line("message of 24 lone surrogates", verdict(lone, content(lone.json?.data?.seq)));
  line("message of 3,000 combining marks", verdict(marks, content(marks.json?.data?.seq)));
  return attacker;
}

/** The WebSocket upgrade's status for `origin` (101 opened, else the refusal). */
function upgradeStatus(token, origin) {
  const url = new URL(`${base}/v1/im/ws?token=${token}`);
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
        Origin: origin,
      },
    });
    request.on("upgrade", (response, socket) => {
      socket.destroy();
      resolve(response.statusCode);
    });
    request.on("response", (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on("error", reject);
    request.end();
  });
}

async function smallOnes(attacker) {
  console.log("\n## Finding 8: small ones (CORS, WebSocket Origin, /docs, client IP)");
  const preflight = await call("OPTIONS", "/v1/user/user", {
    headers: { Origin: "null", "Access-Control-Request-Method": "GET" },
  });
  const allowOrigin = preflight.headers.get("access-control-allow-origin");
  line("CORS preflight, Origin: null", `Access-Control-Allow-Origin: ${allowOrigin ?? "(none)"}`);
  const read = await call("GET", "/v1/user/user", {
    token: attacker.token,
    headers: { Origin: "null" },
  });
  line(
    "CORS GET, Origin: null",
    `Access-Control-Allow-Origin: ${read.headers.get("access-control-allow-origin") ?? "(none)"}`,
  );
  line("WebSocket upgrade, Origin: null", `HTTP ${await upgradeStatus(attacker.token, "null")}`);
  const docs = await call("GET", "/docs");
  for (const tag of docs.text.match(/<script\b[^>]*\bsrc=[^>]*>/g) ?? []) {
    const integrity = tag.match(/integrity="([^"]+)"/)?.[1];
    const src = tag.match(/src="([^"]+)"/)?.[1];
    line("/docs third-party script", `${src} integrity=${integrity ?? "(none)"}`);
  }
  // Per-IP limits read CF-Connecting-IP: locally the client's own header is taken as is.
  const ip = `10.${rand(250)}.${rand(250)}.${rand(250)}`;
  const statuses = [];
  for (let i = 0; i < 21; i++) {
    const answer = await call("POST", "/v1/user/login", {
      body: { phone: phone(), password: "wrong-pass" },
      headers: { "CF-Connecting-IP": ip },
    });
    statuses.push(answer.status);
  }
  const other = await call("POST", "/v1/user/login", {
    body: { phone: phone(), password: "wrong-pass" },
    headers: { "CF-Connecting-IP": ip.replace(/^10\./, "11.") },
  });
  line(
    "21 failed logins from one CF-Connecting-IP",
    `last ${statuses.at(-1)}; the same client claiming another IP: ${other.status}`,
  );
}

console.log(`target ${base}`);
const attacker = await names();
await smallOnes(attacker);
