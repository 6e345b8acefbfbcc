// The workers project's push receiver (receiver.ts): one Node http server for the run, its URL
// handed to the tests through `inject("pushReceiver")`.
import type { TestProject } from "vitest/node";
import { startReceiver } from "./receiver.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pushReceiver: string;
  }
}

export default async function setup(project: TestProject) {
  const { url, server } = await startReceiver();
  project.provide("pushReceiver", url);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
