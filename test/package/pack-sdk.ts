/**
 * The package project's global setup: `npm pack` of shared/client once (its prepack builds
 * dist/), before any file installs it — two files packing at once would rebuild dist/ under each
 * other. The files get the tarball's path through `inject("sdkTarball")`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    sdkTarball: string;
  }
}

export default function packSdk(project: TestProject): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), "easy-chat-sdk-pack-"));
  execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], {
    cwd: path.resolve(import.meta.dirname, "../../shared/client"),
    stdio: ["ignore", "pipe", "inherit"],
  });
  const tarball = readdirSync(dir).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error("npm pack wrote no tarball");
  project.provide("sdkTarball", path.join(dir, tarball));
  return () => rmSync(dir, { recursive: true, force: true });
}
