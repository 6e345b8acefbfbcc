/** Register or log in with a phone number and a password. */
import { useState } from "preact/hooks";
import { errorText } from "../actions.ts";
import { startSignedIn } from "../chat.ts";
import { api, unwrap, useStore } from "../store.ts";

export function AuthView() {
  const { notice } = useStore();
  const [mode, setMode] = useState<"login" | "register">("login");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const phone = String(form.get("phone"));
    const password = String(form.get("password"));
    setBusy(true);
    setError(undefined);
    try {
      const { token } = mode === "register"
        ? await unwrap(
          api.POST("/v1/user/register", {
            body: { phone, password, nickname: String(form.get("nickname")) },
          }),
        )
        : await unwrap(api.POST("/v1/user/login", { body: { phone, password } }));
      await startSignedIn(token);
    } catch (thrown) {
      setError(errorText(thrown));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="auth card" onSubmit={submit}>
      <h1>easy-chat</h1>
      {notice && <p class="notice">{notice}</p>}
      <label>
        Phone <input name="phone" inputMode="tel" autocomplete="username" required />
      </label>
      {mode === "register" && (
        <label>
          Nickname <input name="nickname" required maxLength={24} />
        </label>
      )}
      <label>
        Password{" "}
        <input
          name="password"
          type="password"
          minLength={6}
          required
          autocomplete={mode === "register" ? "new-password" : "current-password"}
        />
      </label>
      {error && <p class="error" role="alert">{error}</p>}
      <button type="submit" disabled={busy}>
        {mode === "register" ? "Create account" : "Log in"}
      </button>
      <button
        type="button"
        class="link"
        onClick={() => setMode(mode === "login" ? "register" : "login")}
      >
        {mode === "login" ? "No account yet? Register" : "Have an account? Log in"}
      </button>
    </form>
  );
}
