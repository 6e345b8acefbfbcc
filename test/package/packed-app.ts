/**
 * The SDK as another app gets it: the tarball `npm pack` made of shared/client (pack-sdk.ts),
 * installed with `ws` into a fresh directory outside this repository, and runners for scripts in
 * it under Node and Deno.
 */
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import process from "node:process";
import { inject } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** Deno from the npm package (node_modules/.bin), the one CI installs. */
export const DENO = path.join(ROOT, "node_modules/.bin/deno");

export interface PackedApp {
  dir: string;
  remove(): void;
}

/** Installs the packed SDK (test/package/pack-sdk.ts), `ws` and the examples into a new directory. */
export function installPackedSdk(): PackedApp {
  const dir = mkdtempSync(path.join(tmpdir(), "easy-chat-app-"));
  const tarball = path.join(dir, path.basename(inject("sdkTarball")));
  copyFileSync(inject("sdkTarball"), tarball);
  const npm = (args: string[], cwd: string) =>
    execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "another-app", private: true, type: "module" }),
  );
  // --prefer-offline: the repository's own install has put both in npm's cache.
  npm(
    ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, "ws@8.23.0"],
    dir,
  );
  cpSync(path.join(ROOT, "examples"), dir, { recursive: true });
  cpSync(path.join(import.meta.dirname, "fixtures"), dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command args` in the app until it exits (killed after `ms`: a hang fails the test). */
export function runIn(
  app: PackedApp,
  command: string,
  args: string[],
  env: Record<string, string>,
  ms = 30_000,
  onStdout: (chunk: string) => void = () => {},
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: app.dir,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      onStdout(String(chunk));
    });
    child.stderr.on("data", (chunk) => stderr += chunk);
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${ms} ms)`;
      child.kill("SIGKILL");
    }, ms);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts a long-running script in the app; `stop()` sends SIGTERM and waits for the exit. */
export function startIn(
  app: PackedApp,
  command: string,
  args: string[],
  env: Record<string, string>,
) {
  const child = spawn(command, args, {
    cwd: app.dir,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => output += chunk);
  child.stderr.on("data", (chunk) => output += chunk);
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return {
    output: () => output,
    async stop(): Promise<number | null> {
      if (child.exitCode === null) child.kill("SIGTERM");
      return await exited;
    },
  };
}

/**
 * HTTP calls to a running service at `baseUrl()` (read per call: a restarted service keeps its
 * port): `call` returns the envelope's data and fails on anything but 2xx; `register` makes a
 * user and returns its phone, token and id.
 */
export function serviceClient(baseUrl: () => string) {
  async function call(method: string, route: string, body?: unknown, token?: string) {
    const response = await fetch(`${baseUrl()}${route}`, {
      method,
      headers: {
        "Content-Type": "application/json",
        ...(token && { Authorization: `Bearer ${token}` }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    // deno-lint-ignore no-explicit-any -- the test reads whatever shape each route answers
    const envelope = await response.json() as { msg: string; data: any };
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${envelope.msg}`);
    return envelope.data;
  }
  async function register(nickname: string, password: string) {
    const phone = `+1${String(Math.random()).slice(2, 14).padEnd(12, "0")}`;
    const { token } = await call("POST", "/v1/user/register", { phone, password, nickname });
    const { info } = await call("GET", "/v1/user/user", undefined, token);
    return { phone, password, token, id: info.id as string };
  }
  return { call, register };
}
