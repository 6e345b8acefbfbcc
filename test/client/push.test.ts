// The SDK's Web Push (docs/sdk.md "Push notifications"): `subscribePush(registration)` registers
// the browser's subscription with the server's key, and pushes then arrive at that device;
// `unsubscribePush()` removes it from the server and the browser. The registration here is the
// browser's shape over a device of the tests' real push endpoint (no browser in workerd; the
// Chromium test covers the service worker).
import { describe, expect, it } from "vitest";
import {
  type BrowserPushSubscription,
  PushNotifications,
  type PushRegistration,
  setConversationSettings,
} from "../../shared/client/index.ts";
import { conversationOf, friendsPair, sendText } from "../helpers/chat.ts";
import { api } from "../helpers/http.ts";
import { testApi } from "../helpers/sdk.ts";
import { type Device, newDevice, waitForPushes } from "../push/devices.ts";

/** A registration whose push manager subscribes to `device`, as a browser would. */
function registrationFor(device: Device) {
  const seen: { applicationServerKey: Uint8Array; unsubscribed: boolean } = {
    applicationServerKey: new Uint8Array(),
    unsubscribed: false,
  };
  let current: BrowserPushSubscription | null = null;
  const registration: PushRegistration = {
    pushManager: {
      getSubscription: () => Promise.resolve(current),
      subscribe: (options) => {
        seen.applicationServerKey = options.applicationServerKey;
        current = {
          endpoint: device.endpoint,
          toJSON: () => ({ endpoint: device.endpoint, keys: device.keys }),
          unsubscribe: () => {
            current = null;
            seen.unsubscribed = true;
            return Promise.resolve(true);
          },
        };
        return Promise.resolve(current);
      },
    },
  };
  return { registration, seen };
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

describe("PushNotifications", () => {
  it("subscribes with the server's VAPID key, and the device gets pushes", async () => {
    const { alice, bob } = await friendsPair();
    const push = new PushNotifications(testApi(bob.token));
    const device = await newDevice();
    const { registration, seen } = registrationFor(device);
    const id = await push.subscribePush(registration);
    const key = (await api("GET", "/v1/push/key")).body.data.vapidPublicKey;
    expect(base64url(seen.applicationServerKey)).toBe(key);
    expect(await push.subscribePush(registration)).toBe(id);
    await sendText(alice, bob.id, "via the SDK");
    const [received] = await waitForPushes(device, 1);
    expect(received!.payload).toMatchObject({ preview: "via the SDK" });
  });

  it("unsubscribes from the server and the browser", async () => {
    const { bob } = await friendsPair();
    const push = new PushNotifications(testApi(bob.token));
    const { registration, seen } = registrationFor(await newDevice());
    await push.subscribePush(registration);
    expect(await push.unsubscribePush()).toBe(true);
    expect(seen.unsubscribed).toBe(true);
    const listed = await api("GET", "/v1/push/subscriptions", { token: bob.token });
    expect(listed.body.data.list).toEqual([]);
    expect(await push.unsubscribePush()).toBe(false);
  });
});

describe("setConversationSettings", () => {
  it("mutes and pins the user's row", async () => {
    const { alice, bob, conversationId } = await friendsPair();
    await sendText(alice, bob.id, "hi");
    await setConversationSettings(testApi(bob.token), {
      [conversationId]: { muted: true, pinned: true },
    });
    expect(await conversationOf(bob, conversationId)).toMatchObject({ muted: true, pinned: true });
  });
});
