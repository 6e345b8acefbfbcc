/**
 * Web Push for an app (docs/sdk.md "Push notifications", docs/push.md): subscribing this
 * browser's service worker registration with the server's VAPID key, unsubscribing, and the
 * user's per-conversation settings (mute, pin). The types are structural, so the SDK compiles
 * without the DOM library; in a browser pass `navigator.serviceWorker.ready`'s registration.
 */
import { type ApiClient, unwrap } from "./http.ts";

/** What the SDK uses of a browser `PushSubscription`. */
export interface BrowserPushSubscription {
  endpoint: string;
  toJSON(): { endpoint?: string; keys?: Record<string, string> };
  unsubscribe(): Promise<boolean>;
}

/** What the SDK uses of a `ServiceWorkerRegistration`. */
export interface PushRegistration {
  pushManager: {
    getSubscription(): Promise<BrowserPushSubscription | null>;
    subscribe(options: {
      userVisibleOnly: boolean;
      applicationServerKey: Uint8Array<ArrayBuffer>;
    }): Promise<BrowserPushSubscription>;
  };
}

/** A user's own settings of a conversation; absent ones stay as they are. */
export interface ConversationSettings {
  /** No pushes but for mentions of the user or `all`. */
  muted?: boolean;
  /** Listed first. */
  pinned?: boolean;
  isShow?: boolean;
}

export class PushNotifications {
  private registration: PushRegistration | undefined;

  constructor(private readonly api: ApiClient) {}

  /**
   * Subscribes `registration` (asking the browser's permission if not granted yet: call it from
   * a click) and registers the device with the server; the subscription's id. Idempotent.
   */
  async subscribePush(registration: PushRegistration): Promise<string> {
    this.registration = registration;
    const { vapidPublicKey } = await unwrap(this.api.GET("/v1/push/key"));
    const subscription = await registration.pushManager.getSubscription() ??
      await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: base64urlBytes(vapidPublicKey),
      });
    const { endpoint, keys } = subscription.toJSON();
    if (!endpoint || !keys?.p256dh || !keys.auth) {
      throw new TypeError("the browser's push subscription has no endpoint or keys");
    }
    const body = { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } };
    return (await unwrap(this.api.POST("/v1/push/subscription", { body }))).id;
  }

  /**
   * Removes this device's subscription from the server and the browser (the registration given
   * to `subscribePush`, or `registration`); false when there was none.
   */
  async unsubscribePush(registration = this.registration): Promise<boolean> {
    const subscription = await registration?.pushManager.getSubscription();
    if (!subscription) return false;
    const { endpoint } = subscription;
    await unwrap(this.api.DELETE("/v1/push/subscription", { body: { endpoint } }));
    return await subscription.unsubscribe();
  }
}

/** Sets the user's own settings of listed conversations (`PUT /v1/im/conversation`). */
export async function setConversationSettings(
  api: ApiClient,
  settings: Record<string, ConversationSettings>,
): Promise<void> {
  await unwrap(api.PUT("/v1/im/conversation", { body: { conversationList: settings } }));
}

function base64urlBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
