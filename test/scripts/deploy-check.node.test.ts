/**
 * `deno task deploy` runs scripts/deploy-check.mjs first (CONTRACT §15): it refuses the shipped
 * empty ALLOWED_ORIGINS, an origin that is not `https://host`, and PUSH_ALLOW_LOOPBACK = "true".
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.join(import.meta.dirname, "../..");
const shipped = readFileSync(path.join(root, "wrangler.toml"), "utf8");

/** Runs the check on wrangler.toml with its [vars] lines replaced by `vars`. */
function check(vars: string) {
  const toml = shipped.replace(/\[vars\]\n(?:(?!\[).*\n)*/, `[vars]\n${vars}\n\n`);
  const file = path.join(mkdtempSync(path.join(tmpdir(), "deploy-check-")), "wrangler.toml");
  writeFileSync(file, toml);
  const run = spawnSync(process.execPath, ["scripts/deploy-check.mjs", file], { cwd: root });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

describe("deploy check", () => {
  it("refuses the shipped wrangler.toml: its ALLOWED_ORIGINS is empty", () => {
    const run = spawnSync(process.execPath, ["scripts/deploy-check.mjs"], { cwd: root });
    expect(run.status).toBe(1);
    expect(`${run.stderr}`).toContain("ALLOWED_ORIGINS is empty");
  });

  it("is wired into the deploy task, before anything is deployed", () => {
    const tasks = readFileSync(path.join(root, "deno.json"), "utf8");
    expect(tasks).toMatch(/"deploy": "\$\(which deno\) run -A scripts\/deploy-check\.mjs && /);
  });

  it.each([
    ["a blank list", 'ALLOWED_ORIGINS = " , "', "ALLOWED_ORIGINS is empty"],
    ["null", 'ALLOWED_ORIGINS = "null"', '"null" is not an origin'],
    ["a wildcard", 'ALLOWED_ORIGINS = "*"', '"*" is not an origin'],
    ["plain http", 'ALLOWED_ORIGINS = "http://app.example"', "is not an origin"],
    ["a path", 'ALLOWED_ORIGINS = "https://app.example/chat"', "is not an origin"],
    [
      "loopback pushes",
      'ALLOWED_ORIGINS = "https://app.example"\nPUSH_ALLOW_LOOPBACK = "true"',
      "PUSH_ALLOW_LOOPBACK",
    ],
  ])("refuses %s", (_, vars, said) => {
    const run = check(vars);
    expect(run.status, run.out).toBe(1);
    expect(run.out).toContain(said);
  });

  it("passes listed https origins, with loopback pushes off", () => {
    const run = check(
      'ALLOWED_ORIGINS = "https://app.example, https://admin.example:8443"\n' +
        'PUSH_ALLOW_LOOPBACK = "false" # production',
    );
    expect(run.status, run.out).toBe(0);
    expect(run.out).toContain("https://app.example, https://admin.example:8443");
  });
});
