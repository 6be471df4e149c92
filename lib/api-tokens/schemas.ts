import { z } from "zod";
import { storableText, textField } from "@/lib/text-field";

export const TOKEN_LIFETIMES = [7, 30, 90, 180] as const;

export const createApiTokenInput = z.object({
  organisation: storableText().regex(/^[a-z0-9-]+$/, { error: "Choose an organisation." }),
  name: textField({
    required: "Name the token after the system that will use it.",
    max: 80,
    tooLong: "Keep the name under 80 characters.",
  }),
  expiresInDays: z.coerce
    .number()
    .refine((d) => (TOKEN_LIFETIMES as readonly number[]).includes(d), { error: `Choose ${TOKEN_LIFETIMES.join(", ")} days.` }),
});
export type CreateApiTokenInput = z.infer<typeof createApiTokenInput>;

export const revokeApiTokenInput = z.object({ tokenId: z.uuid({ error: "That is not a valid token id." }) });
