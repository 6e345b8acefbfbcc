import { describe, expect, it } from "vitest";
import { api } from "../../helpers/http.ts";

describe("GET /openapi.json (social)", () => {
  it("documents every friend and group route with its request schema", async () => {
    const answer = await api("GET", "/openapi.json");
    const doc = answer.body as unknown as {
      paths: Record<string, Record<string, { requestBody?: unknown; parameters?: unknown[] }>>;
      components: { schemas: Record<string, unknown> };
    };
    const expected: Record<string, string[]> = {
      "/v1/social/friend/putIn": ["post", "put"],
      "/v1/social/friend/putIns": ["get"],
      "/v1/social/friends": ["get"],
      "/v1/social/friend/remark": ["put"],
      "/v1/social/friend": ["delete"],
      "/v1/social/group": ["post", "put", "delete"],
      "/v1/social/group/putIn": ["post", "put"],
      "/v1/social/group/putIns": ["get"],
      "/v1/social/groups": ["get"],
      "/v1/social/group/users": ["get"],
      "/v1/social/group/quit": ["post"],
      "/v1/social/group/kick": ["post"],
      "/v1/social/group/role": ["put"],
    };
    for (const [path, methods] of Object.entries(expected)) {
      expect(Object.keys(doc.paths[path] ?? {}), path).toEqual(expect.arrayContaining(methods));
      for (const method of methods) {
        const operation = doc.paths[path]![method]!;
        if (method === "get") expect(operation.parameters, `${method} ${path}`).toBeDefined();
        else expect(operation.requestBody, `${method} ${path}`).toBeDefined();
      }
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["FriendRequest", "Friend", "Group", "GroupMember", "GroupRequest"]),
    );
  });
});
