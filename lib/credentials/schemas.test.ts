import { describe, expect, it } from "vitest";
import {
  parseDayList,
  registerKeyInput,
  revealSecretInput,
  revokeKeyInput,
  revokeSecretInput,
  rotateSecretInput,
  rotationPolicyInput,
  timeZoneField,
} from "./schemas";

const policy = {
  validityDays: 180,
  overlapDays: 30,
  reminderOffsets: [30, 20, 10, 5, 3, 0],
  autoIssue: true,
  secretRevealPolicy: "reveal",
};
const issues = (input: unknown) =>
  rotationPolicyInput.safeParse(input).error?.issues.map((i) => ({ path: i.path.join("."), message: i.message })) ?? [];

describe("a rotation policy (docs/domain.md: at most two live secrets)", () => {
  it("accepts seed 000's policy, and keeps reminder days once each, latest first", () => {
    expect(rotationPolicyInput.parse({ ...policy, reminderOffsets: [3, 30, 0, 30, 10] }).reminderOffsets).toEqual([30, 10, 3, 0]);
  });

  it("refuses an overlap as long as the validity", () => {
    expect(issues({ ...policy, validityDays: 30, overlapDays: 30, reminderOffsets: [] })).toEqual([
      { path: "overlapDays", message: "The overlap must be shorter than the validity period." },
    ]);
  });

  it("refuses an overlap of half the validity or more, and accepts one day less", () => {
    expect(issues({ ...policy, validityDays: 60, overlapDays: 30, reminderOffsets: [] })).toEqual([
      {
        path: "overlapDays",
        message:
          "The overlap must be shorter than half the validity period (under 30 days for 60 days' validity): otherwise the next secret would be due while two are still live.",
      },
    ]);
    expect(issues({ ...policy, validityDays: 61, overlapDays: 30, reminderOffsets: [] })).toEqual([]);
    expect(issues({ ...policy, validityDays: 61, overlapDays: 31, reminderOffsets: [] })[0]?.message).toContain(
      "(under 31 days for 61 days' validity)",
    );
  });

  it("refuses a reminder earlier than the validity period, and accepts one on its first day", () => {
    expect(issues({ ...policy, validityDays: 61, overlapDays: 30, reminderOffsets: [61] })).toEqual([]);
    expect(issues({ ...policy, validityDays: 61, overlapDays: 30, reminderOffsets: [62, 10] })).toEqual([
      { path: "reminderOffsets", message: "A reminder 62 days before expiry is longer than the validity period." },
    ]);
  });
});

describe("a key's last day", () => {
  const key = { clientId: "cl_abcdefgh", key: "-----BEGIN PUBLIC KEY-----" };

  it("is a real calendar date", () => {
    expect(registerKeyInput.parse({ ...key, expiresOn: "2028-02-29" }).expiresOn).toBe("2028-02-29");
    expect(registerKeyInput.safeParse({ ...key, expiresOn: "2027-02-29" }).error?.issues.map((i) => i.message)).toEqual([
      "That date does not exist.",
    ]);
    expect(registerKeyInput.safeParse({ ...key, expiresOn: "2027-13-01" }).error?.issues.map((i) => i.message)).toEqual([
      "That date does not exist.",
    ]);
  });
});

describe("a list of days typed in a form or on the command line", () => {
  it("is split on commas and spaces", () => {
    expect(parseDayList("30, 20 10,,5")).toEqual([30, 20, 10, 5]);
    // An emptied field would silently turn every reminder off: it is refused, saying what to type.
    expect(parseDayList("  ")).toBe(
      "Enter the days before expiry to send reminders on, separated by commas (for example 30, 20, 10, 5, 3, 0).",
    );
  });

  it("names the first entry that is not a whole number", () => {
    expect(parseDayList("30, 2.5, x")).toBe('"2.5" is not a whole number of days.');
  });
});

describe("a rotation's choice for the old secret", () => {
  it("defaults to the end of the overlap", () => {
    expect(rotateSecretInput.parse({ clientId: "abcdefgh12" })).toMatchObject({ oldSecret: "overlap", compromised: false });
  });

  it("needs the last day when the old secret is to work until a chosen day", () => {
    const parsed = rotateSecretInput.safeParse({ clientId: "abcdefgh12", oldSecret: "until" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["oldSecretLastDay", "Give the old secret's last day as YYYY-MM-DD."],
    ]);
  });

  it("refuses a day that does not exist and a choice it does not know", () => {
    expect(
      rotateSecretInput.safeParse({ clientId: "abcdefgh12", oldSecret: "until", oldSecretLastDay: "2026-02-30" }).error?.issues[0]?.message,
    ).toBe("That date does not exist.");
    expect(rotateSecretInput.safeParse({ clientId: "abcdefgh12", oldSecret: "forever" }).error?.issues[0]?.message).toBe(
      "Choose overlap, unchanged, until or revoke for the old secret.",
    );
  });
});

/** Every issue of a failed parse, as the forms show them: the field and the message. */
const problems = (
  schema: { safeParse: (v: unknown) => { error?: { issues: { path: PropertyKey[]; message: string }[] } } },
  input: unknown,
) => schema.safeParse(input).error?.issues.map((i) => [i.path.join("."), i.message]) ?? [];

describe("a client ID", () => {
  it("is 8 to 64 letters, digits, - or _, trimmed first", () => {
    expect(revealSecretInput.parse({ clientId: "  abcdefgh  ", secretId: uuid }).clientId).toBe("abcdefgh");
    expect(problems(revealSecretInput, { clientId: "abcdefg", secretId: uuid })).toEqual([
      ["clientId", "A client ID is 8 to 64 letters, digits, - or _."],
    ]);
    expect(problems(revealSecretInput, { clientId: "a".repeat(64), secretId: uuid })).toEqual([]);
    expect(problems(revealSecretInput, { clientId: "a".repeat(65), secretId: uuid })).toEqual([
      ["clientId", "A client ID is 8 to 64 letters, digits, - or _."],
    ]);
    expect(problems(revealSecretInput, { clientId: "abc.defgh", secretId: uuid })).toEqual([
      ["clientId", "A client ID is 8 to 64 letters, digits, - or _."],
    ]);
    expect(problems(revealSecretInput, { secretId: uuid })).toEqual([["clientId", "Give the client ID."]]);
  });
});

const uuid = "0b0e6a52-9f3c-4a57-8d6f-2a1c3b4d5e6f";

describe("a secret's or key's id", () => {
  it("must be a UUID, and the message names which", () => {
    expect(problems(revealSecretInput, { clientId: "abcdefgh", secretId: "42" })).toEqual([["secretId", "That is not a valid secret id."]]);
    expect(problems(revokeKeyInput, { clientId: "abcdefgh", keyId: "42" })).toEqual([["keyId", "That is not a valid key id."]]);
  });
});

describe("a label", () => {
  it("is 1 to 60 characters once trimmed, or left out", () => {
    const label = (value: string | undefined) => problems(rotateSecretInput, { clientId: "abcdefgh", label: value });
    expect(label(undefined)).toEqual([]);
    expect(label("x")).toEqual([]);
    expect(label(` ${"x".repeat(60)} `)).toEqual([]);
    expect(label("x".repeat(61))).toEqual([["label", "Keep the label to 60 characters."]]);
    expect(label("   ")).toEqual([["label", "A label is 1 to 60 characters; leave it out for none."]]);
  });
});

describe("revoking a secret", () => {
  it("takes a reason of up to 200 characters", () => {
    const base = { clientId: "abcdefgh", secretId: uuid };
    expect(problems(revokeSecretInput, { ...base, reason: "r".repeat(200) })).toEqual([]);
    expect(problems(revokeSecretInput, { ...base, reason: "r".repeat(201) })).toEqual([
      ["reason", "Keep the reason under 200 characters."],
    ]);
    expect(revokeSecretInput.parse({ ...base, confirmClientId: " abcdefgh " }).confirmClientId).toBe("abcdefgh");
  });
});

describe("a public key's registration", () => {
  const key = { clientId: "abcdefgh", key: "-----BEGIN PUBLIC KEY-----" };

  it("needs the key, up to 20 000 characters, kept as pasted", () => {
    expect(problems(registerKeyInput, { clientId: "abcdefgh" })).toEqual([["key", "Paste a public key in PEM or JWK format."]]);
    expect(problems(registerKeyInput, { ...key, key: "" })).toEqual([["key", "Paste a public key in PEM or JWK format."]]);
    expect(problems(registerKeyInput, { ...key, key: "k".repeat(20_000) })).toEqual([]);
    expect(problems(registerKeyInput, { ...key, key: "k".repeat(20_001) })).toEqual([["key", "That is far too long for a public key."]]);
    expect(registerKeyInput.parse({ ...key, key: " pem\n" }).key).toBe(" pem\n");
  });

  it("takes a kid of 1 to 128 visible characters", () => {
    const kid = (value: string) => problems(registerKeyInput, { ...key, kid: value });
    const message = [["kid", "A key ID is 1 to 128 visible characters, no spaces."]];
    expect(kid("!")).toEqual([]);
    expect(kid("~".repeat(128))).toEqual([]);
    expect(kid("k".repeat(129))).toEqual(message);
    expect(kid("a b")).toEqual(message);
    expect(kid("")).toEqual(message);
    expect(kid("café")).toEqual(message);
  });

  it("takes the last day as YYYY-MM-DD only", () => {
    // zod runs the date check after the format check too (neither aborts): both messages show.
    expect(problems(registerKeyInput, { ...key, expiresOn: "2028-2-29" })).toEqual([
      ["expiresOn", "Give the date as YYYY-MM-DD."],
      ["expiresOn", "That date does not exist."],
    ]);
  });
});

describe("a rotation policy's own fields", () => {
  it("refuses a validity under one day, a negative overlap and days that are not whole", () => {
    expect(issues({ ...policy, validityDays: 0, overlapDays: 0, reminderOffsets: [] })).toEqual([
      { path: "validityDays", message: "A secret must be valid for at least 1 day." },
      { path: "overlapDays", message: "The overlap must be shorter than the validity period." },
    ]);
    expect(issues({ ...policy, validityDays: 1, overlapDays: 0, reminderOffsets: [1] })).toEqual([]);
    expect(issues({ ...policy, overlapDays: -1 })).toEqual([{ path: "overlapDays", message: "The overlap cannot be negative." }]);
    expect(issues({ ...policy, validityDays: 90.5 })).toEqual([{ path: "validityDays", message: "Use whole days." }]);
    expect(issues({ ...policy, overlapDays: 1.5 })).toEqual([{ path: "overlapDays", message: "Use whole days." }]);
  });

  it("reads numbers typed in a form", () => {
    expect(rotationPolicyInput.parse({ ...policy, validityDays: "90", overlapDays: "10", reminderOffsets: ["7", "0"] })).toEqual({
      ...policy,
      validityDays: 90,
      overlapDays: 10,
      reminderOffsets: [7, 0],
    });
  });

  it("takes at most 12 reminders, each a whole number of days, none negative", () => {
    const twelve = Array.from({ length: 12 }, (_, i) => i);
    expect(issues({ ...policy, reminderOffsets: twelve })).toEqual([]);
    expect(issues({ ...policy, reminderOffsets: [...twelve, 12] })).toEqual([
      { path: "reminderOffsets", message: "At most 12 reminders." },
    ]);
    expect(issues({ ...policy, reminderOffsets: [-1] })).toEqual([
      { path: "reminderOffsets.0", message: "Reminder days cannot be negative." },
    ]);
    expect(issues({ ...policy, reminderOffsets: [1.5] })).toEqual([
      { path: "reminderOffsets.0", message: "Reminder days are whole numbers." },
    ]);
  });

  it("knows two reveal policies", () => {
    expect(issues({ ...policy, secretRevealPolicy: "show_once" })).toEqual([]);
    expect(issues({ ...policy, secretRevealPolicy: "never" })).toEqual([
      { path: "secretRevealPolicy", message: "Choose reveal or show once." },
    ]);
  });
});

describe("a time zone", () => {
  it("is an IANA name", () => {
    expect(timeZoneField.safeParse("Asia/Kolkata").success).toBe(true);
    expect(timeZoneField.safeParse("Mars/Olympus").error?.issues.map((i) => i.message)).toEqual([
      "Use an IANA time zone such as Europe/London or Asia/Kolkata.",
    ]);
  });
});

describe("the rules that span fields, as whole zod issues", () => {
  it("takes until with a last day, and names a missing one as a custom issue on that field", () => {
    expect(rotateSecretInput.parse({ clientId: "abcdefgh12", oldSecret: "until", oldSecretLastDay: "2030-01-31" })).toEqual({
      clientId: "abcdefgh12",
      oldSecret: "until",
      oldSecretLastDay: "2030-01-31",
      compromised: false,
    });
    expect(rotateSecretInput.safeParse({ clientId: "abcdefgh12", oldSecret: "until" }).error?.issues).toEqual([
      { code: "custom", path: ["oldSecretLastDay"], message: "Give the old secret's last day as YYYY-MM-DD." },
    ]);
  });

  it("reports the overlap and reminder rules as custom issues on their fields", () => {
    const whole = (input: unknown) => rotationPolicyInput.safeParse({ ...policy, ...(input as object) }).error?.issues;
    expect(whole({ validityDays: 30, overlapDays: 30, reminderOffsets: [] })).toEqual([
      { code: "custom", path: ["overlapDays"], message: "The overlap must be shorter than the validity period." },
    ]);
    expect(whole({ validityDays: 20, overlapDays: 10, reminderOffsets: [] })).toEqual([
      {
        code: "custom",
        path: ["overlapDays"],
        message:
          "The overlap must be shorter than half the validity period (under 10 days for 20 days' validity): otherwise the next secret would be due while two are still live.",
      },
    ]);
    expect(whole({ validityDays: 20, overlapDays: 5, reminderOffsets: [21] })).toEqual([
      { code: "custom", path: ["reminderOffsets"], message: "A reminder 21 days before expiry is longer than the validity period." },
    ]);
  });
});
