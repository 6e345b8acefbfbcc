/**
 * The web app's build: Preact through Vite's own JSX transform (no Babel), output in web/dist,
 * which wrangler.toml's [assets] serves. The SDK is imported from ../shared/client as source.
 */
import path from "node:path";
import { defineConfig } from "vite";

const root = import.meta.dirname;

export default defineConfig({
  root,
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: path.join(root, "dist"),
    emptyOutDir: true,
    // Browsers of the last few years; WebSocket subprotocols and crypto.randomUUID are needed.
    target: "es2022",
  },
  server: {
    // `vite dev` for UI work: the API and the socket stay on the Worker (`npm start`).
    proxy: { "/v1": { target: "http://localhost:8787", ws: true } },
  },
});
