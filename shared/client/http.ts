/**
 * Typed HTTP calls for every route: `paths` is generated from the app's own `/openapi.json`
 * (api-types.ts), and openapi-fetch turns it into `api.GET("/v1/social/friends")` calls whose
 * paths, bodies, queries and answers are checked by the compiler.
 */
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./api-types.ts";
import { ChatError } from "./errors.ts";

export type { paths } from "./api-types.ts";

/** This page's origin in a browser; undefined elsewhere (Deno, Node, Workers have no page). */
export function pageOrigin(): string | undefined {
  return (globalThis as { location?: { origin?: string } }).location?.origin;
}
export type ApiClient = Client<paths>;

export interface ApiClientOptions {
  /** Where the service is, e.g. `https://chat.example.com` (default: this page's origin). */
  baseUrl?: string;
  /** The access token to send, read before every request (undefined: send none). */
  token?: () => string | undefined;
  /** The fetch to use (tests hand in the Worker's own). */
  fetch?: typeof globalThis.fetch;
}

/**
 * A typed client of the HTTP API. Any answer that is not 2xx rejects with a ChatError (its
 * envelope's code, the status, the X-Request-Id), so a resolved call always holds `data`.
 */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? pageOrigin(),
    // Looked up per call, so a test or an app may replace globalThis.fetch after creating this.
    fetch: (request) => (options.fetch ?? globalThis.fetch)(request),
  });
  client.use({
    onRequest({ request }) {
      const token = options.token?.();
      if (token) request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
    async onResponse({ response }) {
      if (!response.ok) throw await ChatError.fromResponse(response);
      return response;
    },
  });
  return client;
}

/** The envelope's `data` of a call: `await unwrap(api.GET("/v1/social/friends"))`. */
export async function unwrap<T extends { code: number; msg: string; data: unknown }>(
  call: Promise<{ data?: T; response: Response }>,
): Promise<T["data"]> {
  const { data, response } = await call;
  if (data === undefined) throw await ChatError.fromResponse(response);
  return data.data;
}
