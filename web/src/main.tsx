/** The web app's entry: mounts <App/> and resumes a stored session. */
import { render } from "preact";
import { App } from "./app.tsx";
import { startSignedIn } from "./chat.ts";
import { getState, rememberToken } from "./store.ts";
import "./styles.css";

const token = getState().token;
if (token) {
  startSignedIn(token).catch((error) => {
    console.warn("stored session not usable", error);
    rememberToken(undefined);
  });
}
render(<App />, document.getElementById("app")!);
