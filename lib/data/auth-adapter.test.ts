import type { Adapter, AdapterAccount } from "next-auth/adapters";
import { describe, expect, it } from "vitest";
import { withoutProviderTokens } from "./auth-adapter";

describe("the Auth.js adapter", () => {
  it("never stores the identity provider's access or refresh token, and keeps the ID token for logout", async () => {
    const stored: AdapterAccount[] = [];
    const adapter = withoutProviderTokens({
      linkAccount: async (account: AdapterAccount) => {
        stored.push(account);
      },
    } as Adapter);
    await adapter.linkAccount!({
      userId: "u1",
      type: "oidc",
      provider: "oidc",
      providerAccountId: "sub-1",
      access_token: "at-secret",
      refresh_token: "rt-secret",
      id_token: "id.token.jwt",
    });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ providerAccountId: "sub-1", id_token: "id.token.jwt" });
    expect(JSON.stringify(stored[0])).not.toMatch(/at-secret|rt-secret/);
  });
});
