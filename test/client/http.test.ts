/** The SDK's typed HTTP client against the real Worker: calls, answers and its one error type. */
import { describe, expect, it } from "vitest";
import { ChatError, unwrap } from "../../shared/client/index.ts";
import { uniquePhone } from "../helpers/http.ts";
import { testApi } from "../helpers/sdk.ts";

describe("createApiClient", () => {
  it("registers, reads the user back and finds them by phone", async () => {
    const phone = uniquePhone();
    const { token } = await unwrap(
      testApi().POST("/v1/user/register", {
        body: { phone, password: "secret-pass", nickname: "Sdk User" },
        headers: { "CF-Connecting-IP": "10.9.0.1" },
      }),
    );
    const { info } = await unwrap(testApi(token).GET("/v1/user/user"));
    expect(info.phone).toBe(phone);
    expect(info.nickname).toBe("Sdk User");
    const { list } = await unwrap(
      testApi(token).GET("/v1/user/find", { params: { query: { phone } } }),
    );
    expect(list.map((user) => user.id)).toEqual([info.id]);
  });

  it("rejects a refusal with a ChatError carrying code, status and X-Request-Id", async () => {
    const error = await testApi("not-a-token").GET("/v1/social/friends").then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ChatError);
    const chatError = error as ChatError;
    expect(chatError.code).toBe(100003);
    expect(chatError.status).toBe(401);
    expect(chatError.requestId).toMatch(/\S+/);
    expect(chatError.message).not.toBe("");
  });

  it("sends the request id it is given and reports it back on a refusal", async () => {
    const error = await testApi().POST("/v1/user/login", {
      body: { phone: "123", password: "x" },
      headers: { "X-Request-Id": "sdk-test-1" },
    }).catch((thrown: ChatError) => thrown);
    expect(error).toMatchObject({ code: 100002, status: 400, requestId: "sdk-test-1" });
  });
});
