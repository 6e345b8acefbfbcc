#!/usr/bin/env node
// Checks the Subresource Integrity hash of the /docs page's one third-party script
// (workers/api/docs.ts REFERENCE_SCRIPT): fetches the same version's npm tarball with `npm pack`,
// hashes the file the CDN URL names (jsDelivr serves npm files byte for byte) and compares.
// Exit 0 when they match; else prints the hash to put in docs.ts and exits 1.
//   node scripts/docs-sri.mjs
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const source = readFileSync(new URL("../workers/api/docs.ts", import.meta.url), "utf8");
const src = source.match(/src: "(https:\/\/cdn\.jsdelivr\.net\/npm\/[^"]+)"/)?.[1];
const integrity = source.match(/integrity: "(sha384-[^"]+)"/)?.[1];
const parts = src?.match(/\/npm\/((?:@[^/]+\/)?[^@/]+)@([^/]+)\/(.+)$/);
if (!src || !integrity || !parts) {
  console.error("docs.ts: no pinned jsDelivr src (package@version/path) with a sha384 integrity");
  process.exit(1);
}
const [, name, version, file] = parts;
const dir = mkdtempSync(path.join(tmpdir(), "docs-sri-"));
try {
  const tarball = execFileSync("npm", ["pack", `${name}@${version}`, "--silent"], { cwd: dir })
    .toString().trim().split("\n").at(-1);
  execFileSync("tar", ["xzf", tarball], { cwd: dir });
  const bytes = readFileSync(path.join(dir, "package", file));
  const actual = `sha384-${createHash("sha384").update(bytes).digest("base64")}`;
  console.log(`${name}@${version}/${file}: ${bytes.byteLength} bytes, ${actual}`);
  if (actual !== integrity) {
    console.error(`docs.ts has ${integrity}: replace it with ${actual}`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
