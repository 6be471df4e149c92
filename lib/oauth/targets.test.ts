import { describe, expect, it } from "vitest";
import { OAuthError } from "./errors";
import { selectAudience, selectScope } from "./targets";

function refusal(run: () => unknown): { status: number; error: string; error_description: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof OAuthError) return { status: error.status, error: error.error, error_description: error.description };
    throw error;
  }
  throw new Error("expected an OAuthError");
}

describe("the scope of a token (RFC 6749 3.3)", () => {
  const allowed = ["read:orders", "write:orders"];

  it("is everything the client may have when none is asked for", () => {
    expect(selectScope(undefined, allowed)).toBe("read:orders write:orders");
    expect(selectScope("  ", allowed)).toBe("read:orders write:orders");
  });

  it("is what was asked for, each scope once", () => {
    expect(selectScope("read:orders  read:orders", allowed)).toBe("read:orders");
    expect(selectScope("write:orders read:orders", allowed)).toBe("write:orders read:orders");
  });

  it("refuses a scope the client may not have, naming the ones it may", () => {
    expect(refusal(() => selectScope("read:orders admin", allowed))).toEqual({
      status: 400,
      error: "invalid_scope",
      error_description: "This client may not have the scope admin; it may have: read:orders write:orders.",
    });
    expect(refusal(() => selectScope(`admin ${"s".repeat(70)}`, allowed)).error_description).toBe(
      `This client may not have the scope admin, ${"s".repeat(60)}; it may have: read:orders write:orders.`,
    );
    expect(refusal(() => selectScope("admin", []))).toEqual({
      status: 400,
      error: "invalid_scope",
      error_description: "This client may not have the scope admin.",
    });
  });
});

describe("the audience of a token (Auth0's audience, RFC 8707's resource)", () => {
  const api = "https://api.example/orders";
  const billing = "https://api.example/billing";
  const platformApi = "https://auth.example/api/v1";
  const client = { allowedAudiences: [api, billing], defaultAudience: billing };
  const withoutAudiences = { allowedAudiences: [], defaultAudience: null };

  it("is the client's chosen default when none is named, and the platform's own API for a client without audiences", () => {
    expect(selectAudience(undefined, undefined, client, platformApi)).toBe(billing);
    expect(selectAudience(undefined, undefined, withoutAudiences, platformApi)).toBe(platformApi);
  });

  it("is any of the client's audiences named by audience or by resource, the default included, or by both when they agree", () => {
    expect(selectAudience(api, undefined, client, platformApi)).toBe(api);
    expect(selectAudience(billing, undefined, client, platformApi)).toBe(billing);
    expect(selectAudience(undefined, billing, client, platformApi)).toBe(billing);
    expect(selectAudience(api, api, client, platformApi)).toBe(api);
  });

  it("lets a client without audiences name its default, the platform's own API", () => {
    expect(selectAudience(platformApi, undefined, withoutAudiences, platformApi)).toBe(platformApi);
    expect(selectAudience(undefined, platformApi, withoutAudiences, platformApi)).toBe(platformApi);
  });

  it("refuses audience and resource that disagree", () => {
    expect(refusal(() => selectAudience(api, billing, client, platformApi))).toEqual({
      status: 400,
      error: "invalid_target",
      error_description: "audience and resource name different APIs; send one of them.",
    });
  });

  it("refuses a resource that is not an absolute URI, or has a fragment (RFC 8707 2)", () => {
    const expected = {
      status: 400,
      error: "invalid_target",
      error_description: "resource must be an absolute URI without a fragment (RFC 8707).",
    };
    expect(refusal(() => selectAudience(undefined, "orders", client, platformApi))).toEqual(expected);
    expect(refusal(() => selectAudience(undefined, `${api}#part`, client, platformApi))).toEqual(expected);
  });

  it("refuses an API the client may not use, naming the ones it may", () => {
    expect(refusal(() => selectAudience("https://api.example/admin", undefined, client, platformApi))).toEqual({
      status: 400,
      error: "invalid_target",
      error_description: `This client may not get tokens for https://api.example/admin; it may use: ${api}, ${billing}.`,
    });
    expect(refusal(() => selectAudience(platformApi, undefined, client, platformApi))).toEqual({
      status: 400,
      error: "invalid_target",
      error_description: `This client may not get tokens for ${platformApi}; it may use: ${api}, ${billing}.`,
    });
    const long = `https://api.example/${"a".repeat(150)}`;
    expect(refusal(() => selectAudience(long, undefined, withoutAudiences, platformApi))).toEqual({
      status: 400,
      error: "invalid_target",
      error_description: `This client may not get tokens for ${long.slice(0, 120)}; it may use: ${platformApi}.`,
    });
  });
});
