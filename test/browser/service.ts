/**
 * The real service for the browser tests: `scripts/start.mjs` (what `npm start` runs: web app
 * build, local D1 migrations, `wrangler dev`) on a free port with a throwaway state directory.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import process from "node:process";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Service {
  url: string;
  stop(): Promise<void>;
}

/** Where and as what to start it again after a stop (test/package restarts the service). */
export interface ServiceSetup {
  port: number;
  /** Its D1 and Durable Object storage: kept by stop() when given here. */
  state: string;
  secret: string;
}

/**
 * Starts the service; `allowedOrigins` become ALLOWED_ORIGINS (the app's own origin is added).
 * With `setup`, on that port with that storage and secret, so a restart finds its users.
 */
export async function startService(
  allowedOrigins: string[] = [],
  setup?: ServiceSetup,
): Promise<Service> {
  const port = setup?.port ?? await freePort();
  const url = `http://127.0.0.1:${port}`;
  const state = setup?.state ?? mkdtempSync(path.join(tmpdir(), "easy-chat-browser-"));
  const args = [
    "run",
    "-A",
    "scripts/start.mjs",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--persist-to",
    state,
    "--inspector-port",
    String(await freePort()),
    "--var",
    `ALLOWED_ORIGINS:${[url, ...allowedOrigins].join(",")}`,
    // Its own secret, so no .dev.vars is written into the checkout (the workers tests would see it).
    "--var",
    `JWT_SECRET:${setup?.secret ?? randomBytes(32).toString("hex")}`,
  ];
  // Its own process group, so stopping it also stops wrangler's workerd children.
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => output += chunk);
  child.stderr?.on("data", (chunk) => output += chunk);
  const stop = async () => {
    await stopGroup(child);
    if (!setup) rmSync(state, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

async function waitForHealth(
  url: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the service exited early:\n${output()}`);
    const healthy = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the service did not become healthy in 90 s:\n${output()}`);
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-child.pid, "SIGTERM");
  const killed = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
  if (!killed) process.kill(-child.pid, "SIGKILL");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
