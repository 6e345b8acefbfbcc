/**
 * The browser project's global setup: builds the web app once, before any file starts the
 * service, so parallel files never rebuild web/dist under each other (SKIP_WEB_BUILD in
 * service.ts tells scripts/start.mjs it is done).
 */
import path from "node:path";
import { build } from "vite";

export default async function buildWebApp(): Promise<void> {
  await build({
    configFile: path.resolve(import.meta.dirname, "../../web/vite.config.ts"),
    logLevel: "warn",
  });
}
