import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { emailOutbox } from "@/db/schema";
import { aClient, aMember, anOrganisation } from "@/db/testing/builders";
import { createTestDatabase } from "@/db/testing/test-database";
import { setClientJwksUri, writeJwksState } from "@/lib/data/client-jwks";
import { renderMessage } from "@/lib/email/render";
import { failed, fetched, NEVER_FETCHED } from "@/lib/oauth/client-jwks";
import { noticeFailingJwks } from "./jwks-failures";

/*
 * When fetching a client's JWKS URL keeps failing, its organisation's admins and designated user
 * are told once (docs/domain.md, "Keys at a JWKS URL"), six hours after the first failure.
 */
const HOUR = 3_600_000;
const since = new Date("2026-11-29T04:00:00.000Z");
const at = (ms: number) => new Date(since.getTime() + ms);
const URI = "https://keys.example.com/jwks.json";
let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => handle?.close());

async function failingClient() {
  const organisation = await anOrganisation(handle.db, { timeZone: "Europe/London", locale: "en-GB" });
  await aMember(handle.db, organisation, { role: "spoc", email: `spoc@${organisation.slug}.example` });
  await aMember(handle.db, organisation, { role: "admin", email: `admin@${organisation.slug}.example` });
  await aMember(handle.db, organisation, { role: "member", email: `member@${organisation.slug}.example` });
  const client = await aClient(handle.db, organisation, { name: "Claims feed" });
  await setClientJwksUri(handle.db, client.id, URI);
  await writeJwksState(handle.db, client.id, URI, failed(NEVER_FETCHED, "The JWKS URL answered HTTP 503.", since));
  return { organisation, client };
}

const mailsOf = (organisationId: string) => handle.db.select().from(emailOutbox).where(eq(emailOutbox.organisationId, organisationId));

describe("a JWKS URL that keeps failing", () => {
  it("is told once to the admins and the designated user, six hours after the first failure", async () => {
    const { organisation, client } = await failingClient();
    expect(await noticeFailingJwks(handle.db, at(6 * HOUR - 1000))).toBe(0);
    expect(await noticeFailingJwks(handle.db, at(6 * HOUR))).toBe(1);
    expect(await noticeFailingJwks(handle.db, at(7 * HOUR))).toBe(0);
    const [mail, ...others] = await mailsOf(organisation.id);
    expect(others).toEqual([]);
    expect(mail).toMatchObject({
      kind: "jwks_failing",
      toAddresses: [`admin@${organisation.slug}.example`, `spoc@${organisation.slug}.example`],
      subject: "Rotor cannot fetch the published keys of Claims feed",
      template: "jwks-failing",
      data: {
        organisation: organisation.name,
        slug: organisation.slug,
        client: "Claims feed",
        clientId: client.clientId,
        uri: URI,
        reason: "The JWKS URL answered HTTP 503.",
        failingSince: since.toISOString(),
        locale: "en-GB",
        timeZone: "Europe/London",
      },
    });
    const rendered = await renderMessage(mail!, at(6 * HOUR), "https://rotor.example");
    expect(rendered.text).toContain("has failed since 29/11/2026, 04:00. The last reason: The JWKS URL answered HTTP 503.");
    expect(rendered.text).toContain(`https://rotor.example/orgs/${organisation.slug}/manage/api`);
  });

  it("is told again after a good fetch and a new run of failures", async () => {
    const { organisation, client } = await failingClient();
    expect(await noticeFailingJwks(handle.db, at(6 * HOUR))).toBe(1);
    await writeJwksState(handle.db, client.id, URI, fetched([], {}, at(8 * HOUR)));
    await writeJwksState(handle.db, client.id, URI, failed(fetched([], {}, at(8 * HOUR)), "The connection was refused.", at(9 * HOUR)));
    expect(await noticeFailingJwks(handle.db, at(15 * HOUR - 1000))).toBe(0);
    expect(await noticeFailingJwks(handle.db, at(15 * HOUR))).toBe(1);
    expect((await mailsOf(organisation.id)).map((m) => (m.data as { reason: string }).reason)).toEqual([
      "The JWKS URL answered HTTP 503.",
      "The connection was refused.",
    ]);
  });

  it("is not told for a URL the client no longer uses", async () => {
    const { organisation, client } = await failingClient();
    await setClientJwksUri(handle.db, client.id, null);
    expect(await noticeFailingJwks(handle.db, at(7 * HOUR))).toBe(0);
    expect(await mailsOf(organisation.id)).toEqual([]);
  });
});
