// The push routes (CONTRACT §12): the VAPID key, subscriptions per device (idempotent per
// endpoint, at most 10, the oldest goes), endpoints only on known push services, and every
// subscription gone after a logout of all devices or a password change.
import { describe, expect, it } from "vitest";
import { api, createUser, expectRefusal, type TestUser } from "../helpers/http.ts";
import { quickUser } from "../helpers/social.ts";
import { newDevice, subscribedDevice } from "./devices.ts";

const keys = {
  p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  auth: "BTBZMqHH6r4Tts7J_aSIgg",
};

function subscribe(user: TestUser, body: unknown) {
  return api("POST", "/v1/push/subscription", { token: user.token, body });
}

const listOf = async (user: TestUser) =>
  (await api("GET", "/v1/push/subscriptions", { token: user.token })).body.data.list;

describe("GET /v1/push/key", () => {
  it("answers the VAPID public key without a token", async () => {
    const answer = await api("GET", "/v1/push/key");
    expect(answer.status).toBe(200);
    expect(answer.body.data.vapidPublicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
  });
});

describe("POST /v1/push/subscription", () => {
  it("accepts a push service's https endpoint, once per endpoint", async () => {
    const user = await quickUser();
    const endpoint = "https://fcm.googleapis.com/fcm/send/abc:def";
    const first = await subscribe(user, { endpoint, keys });
    const again = await subscribe(user, { endpoint, keys });
    expect(first.status).toBe(200);
    expect(again.body.data.id).toBe(first.body.data.id);
    expect(await listOf(user)).toEqual([
      { id: first.body.data.id, endpoint, createdAt: expect.any(Number) },
    ]);
  });

  it.each([
    ["an unknown host", "https://push.example.com/x"],
    ["a look-alike host", "https://fcm.googleapis.com.evil.example/x"],
    ["plain http on a push service", "http://fcm.googleapis.com/fcm/send/x"],
    ["another port", "https://updates.push.services.mozilla.com:8443/wpush/v2/x"],
    ["credentials", "https://user:pw@web.push.apple.com/x"],
    ["a private address", "https://10.0.0.1/x"],
  ])("refuses %s with 400 and stores nothing", async (_what, endpoint) => {
    const user = await quickUser();
    expectRefusal(await subscribe(user, { endpoint, keys }), 400, 100002);
    expect(await listOf(user)).toEqual([]);
  });

  it("refuses keys of the wrong length", async () => {
    const user = await quickUser();
    const endpoint = "https://web.push.apple.com/QGx";
    const body = { endpoint, keys: { ...keys, auth: "short" } };
    expectRefusal(await subscribe(user, body), 400, 100002);
  });

  it("keeps 10 devices: the 11th replaces the oldest", async () => {
    const user = await quickUser();
    const endpoints: string[] = [];
    for (let i = 0; i < 11; i++) {
      endpoints.push(`https://wns2-by3p.notify.windows.com/w/?token=${i}`);
      expect((await subscribe(user, { endpoint: endpoints[i], keys })).status).toBe(200);
    }
    const listed = (await listOf(user)).map((row: { endpoint: string }) => row.endpoint);
    expect(listed).toEqual(endpoints.slice(1));
  });

  it("needs a token", async () => {
    const answer = await api("POST", "/v1/push/subscription", {
      body: { endpoint: "https://fcm.googleapis.com/fcm/send/x", keys },
    });
    expectRefusal(answer, 401, 100003);
  });
});

describe("DELETE /v1/push/subscription", () => {
  it("removes the device, and a repeat answers the same", async () => {
    const user = await quickUser();
    const device = await subscribedDevice(user);
    for (let i = 0; i < 2; i++) {
      const answer = await api("DELETE", "/v1/push/subscription", {
        token: user.token,
        body: { endpoint: device.endpoint },
      });
      expect(answer.status).toBe(200);
    }
    expect(await listOf(user)).toEqual([]);
  });
});

describe("a user's subscriptions", () => {
  it("are removed by a logout of all devices", async () => {
    const user = await createUser("Leaver");
    await subscribedDevice(user);
    const login = await api("POST", "/v1/user/login", {
      body: { phone: user.phone, password: user.password },
    });
    const other = { ...user, token: login.body.data.token };
    const out = await api("POST", "/v1/user/logout", { token: user.token, body: { all: true } });
    expect(out.status).toBe(200);
    const again = await api("POST", "/v1/user/login", {
      body: { phone: user.phone, password: user.password },
    });
    expect(await listOf({ ...other, token: again.body.data.token })).toEqual([]);
  });

  it("stay after a logout of one device", async () => {
    const user = await createUser("Stayer");
    await subscribedDevice(user);
    const login = await api("POST", "/v1/user/login", {
      body: { phone: user.phone, password: user.password },
    });
    await api("POST", "/v1/user/logout", { token: user.token, body: {} });
    expect(await listOf({ ...user, token: login.body.data.token })).toHaveLength(1);
  });

  it("are removed by a password change", async () => {
    const user = await createUser("Changer");
    await subscribedDevice(user);
    const changed = await api("PUT", "/v1/user/password", {
      token: user.token,
      body: { oldPassword: user.password, newPassword: "another-secret" },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(await listOf({ ...user, token: changed.body.data.token })).toEqual([]);
  });

  it("accept a loopback endpoint only because the tests allow it (PUSH_ALLOW_LOOPBACK)", async () => {
    const user = await quickUser();
    const device = await newDevice();
    expect(device.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect((await subscribe(user, { endpoint: device.endpoint, keys: device.keys })).status)
      .toBe(200);
  });
});
