/** Builds the web app (web/) into web/dist, which wrangler.toml's [assets] serves. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import process from "node:process";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Runs `vite build` with the Deno binary that runs this script; exits when it fails. */
export function buildWebApp() {
  const result = spawnSync(
    process.execPath,
    ["run", "-A", "npm:vite", "build", "--config", "web/vite.config.ts", "--logLevel", "warn"],
    { cwd: ROOT, stdio: "inherit" },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}
