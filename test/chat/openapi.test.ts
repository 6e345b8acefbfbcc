import { describe, expect, it } from "vitest";
import { api } from "../helpers/http.ts";

describe("GET /openapi.json (chat)", () => {
  it("documents every /v1/im route with its request and response schemas", async () => {
    const answer = await api("GET", "/openapi.json");
    const doc = answer.body as unknown as {
      paths: Record<
        string,
        Record<string, { requestBody?: unknown; parameters?: unknown[]; security?: unknown }>
      >;
      components: { schemas: Record<string, unknown> };
    };
    const expected: Record<string, Record<string, "body" | "query" | "none">> = {
      "/v1/im/setup/conversation": { post: "body" },
      "/v1/im/conversation": { get: "none", put: "body" },
      "/v1/im/chatlog": { get: "query" },
      "/v1/im/chatlog/readRecords": { get: "query" },
      "/v1/im/chat": { post: "body" },
    };
    for (const [path, methods] of Object.entries(expected)) {
      for (const [method, input] of Object.entries(methods)) {
        const operation = doc.paths[path]?.[method];
        expect(operation, `${method} ${path}`).toBeDefined();
        expect(operation!.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
        if (input === "body") expect(operation!.requestBody, `${method} ${path}`).toBeDefined();
        if (input === "query") expect(operation!.parameters, `${method} ${path}`).toBeDefined();
      }
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["ChatLog", "SendAck", "Conversation", "SendBody"]),
    );
  });
});
