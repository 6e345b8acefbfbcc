// Builds the package (`npm run build` here, or `deno task sdk:build` at the root): tsc writes
// ESM JavaScript and .d.ts into dist/. tsc rewrites `./x.ts` to `./x.js` in the JavaScript only,
// so the .d.ts files get the same rewrite here: Deno and Node-style type resolution look for
// the file named in the import, and dist/ has no .ts files.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import process from "node:process";

const here = import.meta.dirname;
const dist = path.join(here, "dist");
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
// Under Deno (`deno task sdk:build`) the runtime needs `run -A` to run a script.
const runner = "Deno" in globalThis ? ["run", "-A", tsc] : [tsc];
const config = path.join(here, "tsconfig.build.json");
const build = spawnSync(process.execPath, [...runner, "-p", config], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
for (const file of readdirSync(dist).filter((name) => name.endsWith(".d.ts"))) {
  const at = path.join(dist, file);
  const text = readFileSync(at, "utf8");
  writeFileSync(
    at,
    text.replace(/(from\s+["']\.{1,2}\/[^"']+)\.ts(["'])/g, "$1.js$2"),
  );
}
console.log(`built ${dist}`);
