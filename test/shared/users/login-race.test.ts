// A login racing a password change must not win a token that outlives the change (CONTRACT §9):
// the login reads the token version before the password hash it checks.
import { describe, expect, it } from "vitest";
import { hashPassword } from "../../../shared/auth/passwords.ts";
import type { TokenRevocations } from "../../../shared/auth/tokens.ts";
import { setPasswordHash } from "../../../shared/db/user-passwords.ts";
import { UnauthorizedError } from "../../../shared/errors.ts";
import type { RateLimiter } from "../../../shared/rate-limit.ts";
import { loginUser } from "../../../shared/users/service.ts";
import { createD1TestDb } from "../../helpers/d1-db.ts";
import { createUser } from "../../helpers/http.ts";

const noLimits: RateLimiter = {
  take: () => Promise.resolve({ ok: true, slot: "s" }),
  giveBack: () => Promise.resolve(),
};

describe("a login racing a password change", () => {
  it("checks the hash read after the version: the old password no longer wins", async () => {
    const user = await createUser("Racer");
    const db = createD1TestDb();
    let version = 0;
    // The change lands while the login holds the user's row: new hash, then every token revoked.
    const revocations: TokenRevocations = {
      async versionOf(userId) {
        await setPasswordHash(db, userId, await hashPassword("the-new-password"));
        version += 1;
        return version;
      },
      assertNotRevoked: () => Promise.resolve(),
      revoke: () => Promise.resolve(),
      revokeAll: () => Promise.resolve(++version),
    };
    const secret = "login-race-0123456789abcdef-0123456789abcdef";
    await expect(
      loginUser(db, noLimits, { phone: user.phone, password: user.password }, "192.0.2.9", {
        secret,
        ttlSeconds: 60,
        revocations,
      }),
    ).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
