#!/usr/bin/env node
// `deno task deploy` runs this first: refuses to deploy a configuration that is only fit for a
// developer's machine (CONTRACT §15). Reads the [vars] of wrangler.toml (or the file given):
//   - ALLOWED_ORIGINS must list at least one origin, each `https://host[:port]` (an empty list
//     lets every web page call the API and open sockets with a signed-in user's token);
//   - PUSH_ALLOW_LOOPBACK must not be "true" (push endpoints on loopback are for local tests).
// Exit 0 and one line when fit; else each problem on stderr and exit 1.
//   node scripts/deploy-check.mjs [path/to/wrangler.toml]
import { readFileSync } from "node:fs";
import process from "node:process";

const file = process.argv[2] ?? "wrangler.toml";
const vars = readVars(readFileSync(file, "utf8"));
const problems = [];

const origins = (vars.ALLOWED_ORIGINS ?? "").split(",").map((o) => o.trim()).filter(Boolean);
if (origins.length === 0) {
  problems.push(
    "ALLOWED_ORIGINS is empty: list the web app's origins (https://app.example), comma-separated",
  );
}
for (const origin of origins) {
  if (!isHttpsOrigin(origin)) {
    problems.push(`ALLOWED_ORIGINS: "${origin}" is not an origin like https://app.example`);
  }
}
if (vars.PUSH_ALLOW_LOOPBACK === "true") {
  problems.push('PUSH_ALLOW_LOOPBACK = "true" is for local tests only: remove it or set "false"');
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`deploy refused (${file} [vars]): ${problem}`);
  process.exit(1);
}
console.log(`deploy check passed: ALLOWED_ORIGINS = ${origins.join(", ")}`);

/** `https://host` or `https://host:port`, nothing after: what a browser sends as Origin. */
function isHttpsOrigin(text) {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return url.protocol === "https:" && url.origin === text;
}

/**
 * The `KEY = "value"` lines of the top-level [vars] table. Only strings are read (wrangler's vars
 * are strings here); a line this cannot read is an error rather than a silent skip.
 */
function readVars(toml) {
  const found = {};
  let inVars = false;
  for (const raw of toml.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith("[")) {
      inVars = line === "[vars]";
      continue;
    }
    if (!inVars || line === "" || line.startsWith("#")) continue;
    const match = line.match(
      /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*')\s*(#.*)?$/,
    );
    if (!match) {
      console.error(`deploy refused (${file} [vars]): cannot read "${line}"`);
      process.exit(1);
    }
    const [, key, quoted] = match;
    found[key] = quoted.startsWith('"') ? JSON.parse(quoted) : quoted.slice(1, -1);
  }
  return found;
}
