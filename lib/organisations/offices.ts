import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { offices } from "@/db/schema";
import type { Actor } from "@/lib/context";
import { auditActor } from "@/lib/context";
import { recordEvent } from "@/lib/data/audit";
import { DomainError, isUniqueViolation } from "@/lib/errors";
import { storableText, textField } from "@/lib/text-field";

const optional = (schema: z.ZodString) =>
  storableText()
    .trim()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .pipe(schema.optional());

/** An office, as the Offices tab's form and every other edge send it. */
export const officeInput = z.object({
  name: textField({ required: "Give the office a name.", max: 200, tooLong: "Keep the name under 200 characters." }),
  addressLine1: textField({
    required: "Give the first line of the address.",
    max: 200,
    tooLong: "Keep each address line under 200 characters.",
  }),
  addressLine2: optional(textField({ max: 200, tooLong: "Keep each address line under 200 characters." })),
  town: textField({ required: "Give the town or city.", max: 100, tooLong: "Keep the town under 100 characters." }),
  postcode: storableText({ error: "Give the postcode." })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9][A-Z0-9 -]{1,10}[A-Z0-9]$/, { error: "That does not look like a postcode, e.g. EC3V 1AB or 400051." }),
  country: storableText()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, { error: "Use the two-letter country code, e.g. GB or IN." })
    .default("GB"),
  phone: optional(
    storableText().regex(/^\+?[0-9 ()-]{6,20}$/, { error: "A phone number is digits, spaces, brackets or dashes, e.g. 020 7946 0000." }),
  ),
});
export type OfficeInput = z.infer<typeof officeInput>;

async function audited<T>(
  db: Database,
  run: (tx: Parameters<Parameters<Database["transaction"]>[0]>[0]) => Promise<T>,
  name: string,
): Promise<T> {
  try {
    return await db.transaction(run);
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("conflict", `Your organisation already has an office called "${name}".`, "name");
    throw error;
  }
}

export async function addOffice(db: Database, actor: Actor, organisationId: string, input: OfficeInput, now: Date) {
  return audited(
    db,
    async (tx) => {
      const [office] = await tx
        .insert(offices)
        .values({ organisationId, ...input, addressLine2: input.addressLine2 ?? null, phone: input.phone ?? null, createdAt: now })
        .returning();
      await recordEvent(tx, {
        organisationId,
        actor: auditActor(actor),
        action: "office.added",
        target: { type: "office", id: office!.id },
        metadata: { name: input.name },
      });
      return office!;
    },
    input.name,
  );
}

export async function updateOffice(db: Database, actor: Actor, organisationId: string, officeId: string, input: OfficeInput) {
  return audited(
    db,
    async (tx) => {
      const [office] = await tx
        .update(offices)
        .set({ ...input, addressLine2: input.addressLine2 ?? null, phone: input.phone ?? null })
        .where(and(eq(offices.id, officeId), eq(offices.organisationId, organisationId)))
        .returning();
      if (!office) throw new DomainError("not_found", "There is no such office in your organisation.");
      await recordEvent(tx, {
        organisationId,
        actor: auditActor(actor),
        action: "office.updated",
        target: { type: "office", id: officeId },
        metadata: { name: input.name },
      });
      return office;
    },
    input.name,
  );
}

/** Closing keeps the office's history (and its people's link to it); reopening undoes it. */
export async function setOfficeClosed(db: Database, actor: Actor, organisationId: string, officeId: string, closed: boolean, now: Date) {
  return db.transaction(async (tx) => {
    const [office] = await tx
      .update(offices)
      .set({ closedAt: closed ? now : null })
      .where(and(eq(offices.id, officeId), eq(offices.organisationId, organisationId)))
      .returning();
    if (!office) throw new DomainError("not_found", "There is no such office in your organisation.");
    await recordEvent(tx, {
      organisationId,
      actor: auditActor(actor),
      action: closed ? "office.closed" : "office.reopened",
      target: { type: "office", id: officeId },
      metadata: { name: office.name },
    });
    return office;
  });
}
