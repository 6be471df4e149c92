import { randomBytes } from "node:crypto";
import { toPlainText } from "@react-email/render";
import { describe, expect, it } from "vitest";
import { encrypt, parseKeyRing } from "@/lib/crypto/encryption";
import { outboxLinkCipherContext } from "@/lib/data/cipher-contexts";
import { renderMessage } from "./render";

/*
 * Every message's plain-text part is react-email's own conversion of its HTML (what render with
 * plainText: true gives), though the converter is compiled once rather than per message.
 */

const now = new Date("2026-11-29T10:00:00Z");
const keyRing = parseKeyRing(`r:${randomBytes(32).toString("base64")}`);
const reminder = {
  organisation: "Northwind",
  slug: "northwind",
  client: "Claims <production>",
  clientId: "0oa3z2bmnknMSvUdA0i7",
  credential: "secret",
  identifier: "••••wxyz",
  expiryDate: "2026-12-19",
  timeZone: "Europe/London",
  locale: "en-GB",
  autoIssue: true,
  lastUsedAt: "2026-11-28T09:00:00Z",
  successor: { createdAt: "2026-11-19T09:00:00Z", lastUsedAt: null, maskedTail: "abcd", issuedBy: "auto" },
};
const messages: { template: string; data: Record<string, unknown> }[] = [
  { template: "expiry-reminder", data: reminder },
  { template: "expiry-reminder", data: { ...reminder, credential: "key", identifier: "kid-1", successor: null, lastUsedAt: null } },
  { template: "invitation", data: { service: "Rotor", organisation: "Northwind & Co", inviter: "Alice", role: "admin" } },
  {
    template: "missed-successor",
    data: {
      organisation: "Northwind",
      slug: "northwind",
      client: "Claims",
      clientId: "0oa3z2bmnknMSvUdA0i7",
      expiredOn: "2026-11-20",
      issuedOn: "2026-11-29",
      locale: "en-GB",
    },
  },
  {
    template: "jwks-failing",
    data: {
      organisation: "Northwind",
      slug: "northwind",
      client: "Claims",
      clientId: "0oa3z2bmnknMSvUdA0i7",
      uri: "https://keys.northwind.example/jwks.json",
      reason: "the answer was not a JWK Set",
      failingSince: "2026-11-28T04:00:00Z",
      locale: "en-GB",
      timeZone: "Europe/London",
    },
  },
];

describe("a rendered message's plain-text part", () => {
  it.each(messages.map((m, i) => [`${m.template} ${i}`, m] as const))("is react-email's conversion of its HTML: %s", async (_, m) => {
    const rendered = await renderMessage({ id: "m-1", ...m }, now, "https://rotor.example");
    expect(rendered.text.length).toBeGreaterThan(50);
    expect(rendered.text).toBe(toPlainText(rendered.html));
  });

  it("is react-email's conversion of its HTML for a sign-in link too, with the link in it", async () => {
    const url = "https://rotor.example/api/auth/callback/email?token=abc&email=p%40x.example";
    const id = "8d0c3a4e-0a3b-4c4f-9a55-7c1e3b1c2d3e";
    const data = { sealedUrl: encrypt(url, keyRing, outboxLinkCipherContext(id)), minutes: 10, service: "Rotor" };
    const rendered = await renderMessage({ id, template: "sign-in-link", data }, now, "https://rotor.example", keyRing);
    expect(rendered.text).toBe(toPlainText(rendered.html));
    expect(rendered.text).toContain(url);
  });
});
