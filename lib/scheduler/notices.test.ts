import { describe, expect, it } from "vitest";
import type { DueReminder } from "@/lib/data/scheduler";
import { reminderSubject } from "@/lib/email/wording";
import { recipientsByOrganisation, reminderMail } from "./notices";

describe("who is told about an organisation's credentials (docs/domain.md, Expiry reminders)", () => {
  it("every admin and the designated user (SPOC), each address once and in order; never a plain member", () => {
    const recipients = recipientsByOrganisation([
      { organisation_id: "org-1", role: "spoc", email: "spoc@one.example" },
      { organisation_id: "org-1", role: "admin", email: "admin@one.example" },
      { organisation_id: "org-1", role: "member", email: "member@one.example" },
      { organisation_id: "org-1", role: "admin", email: "admin@one.example" },
      { organisation_id: "org-2", role: "member", email: "member@two.example" },
      { organisation_id: "org-3", role: "admin", email: "admin@three.example" },
    ]);
    expect([...recipients]).toEqual([
      ["org-1", ["admin@one.example", "spoc@one.example"]],
      ["org-3", ["admin@three.example"]],
    ]);
  });
});

describe("the reminder e-mail for a due credential", () => {
  const due: DueReminder = {
    credential: "secret",
    credential_id: "secret-1",
    identifier: "…x7Qa",
    last_used_at: "2026-03-01T10:00:00.000Z",
    client_uuid: "client-uuid-1",
    client_id: "cl_1",
    client_name: "Orders sync",
    organisation_id: "org-1",
    slug: "acme",
    organisation_name: "Acme",
    time_zone: "Europe/London",
    locale: "en-GB",
    auto_issue: false,
    expiry_date: "2026-03-31",
    today: "2026-03-11",
    threshold: 20,
    successor: null,
  };
  const at = new Date("2026-03-11T06:00:00.000Z");

  it("goes to the recipients, says how many days are left, and is sent at once", () => {
    expect(reminderMail(due, "delivery-1", ["admin@one.example"], at)).toEqual({
      organisationId: "org-1",
      reminderDeliveryId: "delivery-1",
      kind: "expiry_reminder",
      toAddresses: ["admin@one.example"],
      subject: reminderSubject("secret", "Orders sync", 20),
      template: "expiry-reminder",
      data: {
        organisation: "Acme",
        slug: "acme",
        client: "Orders sync",
        clientId: "cl_1",
        credential: "secret",
        identifier: "…x7Qa",
        expiryDate: "2026-03-31",
        timeZone: "Europe/London",
        locale: "en-GB",
        autoIssue: false,
        lastUsedAt: "2026-03-01T10:00:00.000Z",
        successor: null,
      },
      createdAt: at,
      nextAttemptAt: at,
    });
  });

  it("is a key reminder for a public key, and says a credential never used was never used", () => {
    const mail = reminderMail({ ...due, credential: "key", last_used_at: null, today: "2026-03-31" }, "delivery-2", ["a@x.example"], at);
    expect(mail).toMatchObject({
      kind: "key_expiry_reminder",
      subject: reminderSubject("key", "Orders sync", 0),
      data: { credential: "key", lastUsedAt: null },
    });
  });

  it("is not written when the organisation has nobody to tell", () => {
    expect(reminderMail(due, "delivery-1", undefined, at)).toBeNull();
    expect(reminderMail(due, "delivery-1", [], at)).toBeNull();
  });
});
