import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { createApiTokenInput } from "@/lib/api-tokens/schemas";
import { demoSignInInput } from "@/lib/auth/demo-sign-in";
import { signInEmailField } from "@/lib/auth/email-sign-in";
import { registerKeyInput, revokeSecretInput } from "@/lib/credentials/schemas";
import { registerKeyBody, revokeSecretBody } from "@/lib/management-api/dto";
import { assertionCheckInput } from "@/lib/oauth/assertion-checker";
import {
  createClientInput,
  createOrganisationInput,
  inviteUserInput,
  officeInput,
  onboardInput,
  platformLimitsInput,
} from "@/lib/organisations/schemas";
import { LONE_SURROGATE_MESSAGE, NUL_MESSAGE, storableText, textField, unstorableTextProblem } from "./text-field";

const NUL = "\u0000";
const HIGH = "\ud83d"; // the first half of 😀 (\ud83d\ude00)
const LOW = "\ude00";

const messages = (result: z.ZodSafeParseResult<unknown>) => result.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];

describe("the storable-text rule", () => {
  it("refuses a NUL character anywhere in the text", () => {
    for (const v of [NUL, `a${NUL}`, `${NUL}a`, `Acme${NUL}Claims`]) expect(unstorableTextProblem(v), JSON.stringify(v)).toBe(NUL_MESSAGE);
  });

  it("refuses an unpaired surrogate, high or low, alone or in the wrong order", () => {
    for (const v of [HIGH, LOW, `a${HIGH}b`, `${LOW}${HIGH}`, `x${HIGH}`]) {
      expect(unstorableTextProblem(v), JSON.stringify(v)).toBe(LONE_SURROGATE_MESSAGE);
    }
  });

  it("accepts any other text, emoji and accents included", () => {
    for (const v of ["", "Chloé Martin", "日本語", `smile ${HIGH}${LOW}`, "tab\tand\nnew line", "\u0001"]) {
      expect(unstorableTextProblem(v), JSON.stringify(v)).toBeNull();
    }
  });
});

describe("textField, the one builder for free-text fields", () => {
  const name = textField({ required: "Give a name.", max: 10, tooLong: "Keep it short." });

  it("trims, and says what is missing or too long in the form's own words", () => {
    expect(name.parse("  Acme  ")).toBe("Acme");
    expect(messages(name.safeParse("   "))).toEqual([": Give a name."]);
    expect(messages(name.safeParse(undefined))).toEqual([": Give a name."]);
    expect(messages(name.safeParse("a".repeat(11)))).toEqual([": Keep it short."]);
    expect(messages(textField({ max: 3 }).safeParse("abcd"))).toEqual([": Keep this under 3 characters."]);
  });

  it("refuses NUL and lone surrogates with one message that says what to do, before any other check", () => {
    expect(messages(name.safeParse(`Ac${NUL}me`))).toEqual([`: ${NUL_MESSAGE}`]);
    expect(messages(name.safeParse(`${NUL}${"a".repeat(20)}`))).toEqual([`: ${NUL_MESSAGE}`]);
    expect(messages(name.safeParse(`Acme ${HIGH}`))).toEqual([`: ${LONE_SURROGATE_MESSAGE}`]);
    expect(name.parse(`Acme ${HIGH}${LOW}`)).toBe(`Acme ${HIGH}${LOW}`);
  });

  it("keeps surrounding white space when asked (a pasted PEM key)", () => {
    expect(textField({ trim: false }).parse("  key\n")).toBe("  key\n");
  });

  it("puts the rule in front of a format of the field's own", () => {
    const code = storableText().regex(/^[A-Z]{2}$/, { error: "Two capitals." });
    expect(messages(code.safeParse(`G${NUL}`))).toEqual([`: ${NUL_MESSAGE}`]);
    expect(messages(code.safeParse("gb"))).toEqual([": Two capitals."]);
  });
});

/*
 * Every free-text field of every form, API body and command: a valid input, then the same input
 * with a NUL (and a lone surrogate) in one field, which must be refused on that field, with the
 * rule's message, before anything reaches the database.
 */
const policy = { validityDays: 180, overlapDays: 30, reminderOffsets: [30], autoIssue: false, secretRevealPolicy: "reveal" };
const organisation = { name: "Acme", timeZone: "Europe/London", policy };
const cases: { name: string; schema: z.ZodType; valid: Record<string, unknown>; fields: string[] }[] = [
  {
    name: "the organisation form (portal, CLI)",
    schema: createOrganisationInput,
    valid: { ...organisation, slug: "acme" },
    fields: ["name", "slug", "timeZone", "locale"],
  },
  {
    name: "the invitation form",
    schema: inviteUserInput,
    valid: { email: "a@acme.example", name: "Ann", role: "member" },
    fields: ["email", "name"],
  },
  {
    name: "a new client (CLI)",
    schema: createClientInput,
    valid: { name: "Claims", scopes: ["claims:read"], audiences: ["https://api.acme.example/"] },
    fields: ["name", "scopes.0", "audiences.0"],
  },
  {
    name: "the office form",
    schema: officeInput,
    valid: {
      name: "HQ",
      addressLine1: "1 Road",
      addressLine2: "Floor 2",
      town: "Leeds",
      postcode: "LS1 5AB",
      country: "GB",
      phone: "0113 000 0000",
    },
    fields: ["name", "addressLine1", "addressLine2", "town", "postcode", "country", "phone"],
  },
  {
    name: "the onboarding form",
    schema: onboardInput,
    valid: { organisation, admin: { email: "a@acme.example", name: "Ann" }, spoc: { email: "s@acme.example", name: "Sam" } },
    fields: ["organisation.name", "admin.email", "admin.name", "spoc.email", "spoc.name"],
  },
  {
    name: "the platform settings",
    schema: platformLimitsInput,
    valid: {
      serviceName: "Claims Exchange",
      apiEndpoint: "https://api.acme.example/v1",
      maxValidityDays: 365,
      allowedAudiences: ["https://api.acme.example/"],
      adminsMayDesignateSpoc: false,
      spocsMaySetJwksUri: true,
      spocsMaySetLegacyAudience: false,
    },
    fields: ["serviceName", "apiEndpoint", "allowedAudiences.0"],
  },
  {
    name: "the API token form",
    schema: createApiTokenInput,
    valid: { organisation: "acme", name: "pipeline", scope: "read", expiresInDays: 30 },
    fields: ["name", "organisation"],
  },
  {
    name: "revoking a secret",
    schema: revokeSecretInput,
    valid: { clientId: "abcdefgh12", secretId: "6f1c1a55-8a4e-4d5e-9a55-2b8a0a7c9d10", reason: "moved" },
    fields: ["reason", "clientId"],
  },
  {
    name: "registering a key",
    schema: registerKeyInput,
    valid: { clientId: "abcdefgh12", key: "-----BEGIN PUBLIC KEY-----", kid: "k1", expiresOn: "2099-01-01" },
    fields: ["clientId", "key", "kid", "expiresOn"],
  },
  { name: "the API's revoke body", schema: revokeSecretBody, valid: { reason: "moved" }, fields: ["reason"] },
  { name: "the API's key body", schema: registerKeyBody, valid: { key: "-----BEGIN PUBLIC KEY-----", kid: "k1" }, fields: ["key", "kid"] },
  {
    name: "the Dev Tools assertion checker",
    schema: assertionCheckInput,
    valid: { assertion: "a.b.c", assertionType: "urn:x" },
    fields: ["assertion", "assertionType"],
  },
  { name: "the demo sign-in", schema: demoSignInInput, valid: { email: "a@acme.example" }, fields: ["email"] },
];

function withValue(input: Record<string, unknown>, path: string, change: (v: string) => string): Record<string, unknown> {
  const copy = structuredClone(input);
  const keys = path.split(".");
  let target = copy as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) target = target[k] as Record<string, unknown>;
  const last = keys[keys.length - 1] as string;
  target[last] = change(String(target[last]));
  return copy;
}

describe("every free-text field of the forms, the management API and the CLI", () => {
  it.each(cases.map((c) => [c.name, c] as const))("refuses NUL and lone surrogates in %s", (_name, c) => {
    expect(messages(c.schema.safeParse(c.valid))).toEqual([]);
    for (const field of c.fields) {
      const nul = c.schema.safeParse(withValue(c.valid, field, (v) => `${v.slice(0, 1)}${NUL}${v.slice(1)}`));
      expect(messages(nul), field).toEqual([`${field}: ${NUL_MESSAGE}`]);
      const lone = c.schema.safeParse(withValue(c.valid, field, (v) => `${v}${HIGH}`));
      expect(messages(lone), field).toEqual([`${field}: ${LONE_SURROGATE_MESSAGE}`]);
    }
  });

  it("refuses NUL in the e-mail address typed on the sign-in page", () => {
    expect(signInEmailField.parse(" Priya@Finvu.example ")).toBe("priya@finvu.example");
    expect(messages(signInEmailField.safeParse(`priya${NUL}@finvu.example`))).toEqual([`: ${NUL_MESSAGE}`]);
  });
});
