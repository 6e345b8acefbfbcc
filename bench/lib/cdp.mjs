/**
 * A CPU profile of a workerd isolate through its inspector (Chrome DevTools Protocol), summed
 * by source module: esbuild marks each module in the bundle with a `// path` comment line, so a
 * sample's line number tells which package or source file the time was spent in.
 */
import { readFileSync } from "node:fs";
import WebSocket from "ws";

/** Opens a CDP session to inspector target `id` on `port`; `send(method, params)` → result. */
export async function openInspector(port, id) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/${id}`);
  await new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject)));
  let nextId = 0;
  const pending = new Map();
  ws.on("message", (raw) => {
    const message = JSON.parse(raw.toString("utf8"));
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(JSON.stringify(message.error)));
    else waiter.resolve(message.result);
  });
  return {
    send(method, params = {}) {
      const id = ++nextId;
      ws.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    },
    close: () => ws.close(),
  };
}

/** Starts sampling (every 100 µs) on an open session. */
export async function startProfile(session) {
  await session.send("Profiler.enable");
  await session.send("Profiler.setSamplingInterval", { interval: 100 });
  await session.send("Profiler.start");
}

/** `[startLine, module]` pairs for the bundle, from esbuild's module comments. */
export function bundleModules(bundlePath) {
  const marks = [];
  readFileSync(bundlePath, "utf8").split("\n").forEach((line, index) => {
    const match = /^\/\/ (\S+\.(?:m?js|ts|cjs))$/.exec(line);
    if (match) marks.push([index, moduleName(match[1])]);
  });
  return marks;
}

/** `node_modules/@scope/pkg/x.js` → `@scope/pkg`; our own files keep their path. */
function moduleName(file) {
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  return inModules ? inModules[1] : file.replace(/^(\.\.\/)+(work\/[^/]+\/)?/, "");
}

function moduleAt(marks, line) {
  let low = 0;
  let high = marks.length - 1;
  let found = "(bundle prelude)";
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (marks[mid][0] <= line) {
      found = marks[mid][1];
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

/**
 * Stops the profile and returns `[{name, percent}]` of self time, busiest first: by module for
 * code in the bundle (or module › function with `byFunction`), by name for runtime internals
 * ("(idle)", "(garbage collector)").
 */
export async function stopProfile(session, marks, byFunction = false) {
  const { profile } = await session.send("Profiler.stop");
  const totals = new Map();
  let all = 0;
  for (const node of profile.nodes) {
    const { url, functionName, lineNumber } = node.callFrame;
    // entry.js: the app's bundle as bench/lib/servers.mjs builds it.
    const name = url.endsWith("entry.js") && marks.length > 0
      ? moduleAt(marks, lineNumber)
      : url === ""
      ? functionName || "(anonymous)"
      : `${url.split("/").pop()}`;
    const key = byFunction ? `${name} › ${functionName || "(anonymous)"}` : name;
    totals.set(key, (totals.get(key) ?? 0) + node.hitCount);
    all += node.hitCount;
  }
  return [...totals.entries()]
    .map(([name, hits]) => ({ name, percent: Math.round((hits / all) * 1000) / 10 }))
    .sort((a, b) => b.percent - a.percent);
}
