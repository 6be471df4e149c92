import { z } from "zod";

export const TOKEN_LIFETIMES = [7, 30, 90, 180] as const;

export const createApiTokenInput = z.object({
  organisation: z.string().regex(/^[a-z0-9-]+$/, { error: "Choose an organisation." }),
  name: z
    .string({ error: "Name the token after the system that will use it." })
    .trim()
    .min(1, { error: "Name the token after the system that will use it." })
    .max(80, { error: "Keep the name under 80 characters." }),
  expiresInDays: z.coerce
    .number()
    .refine((d) => (TOKEN_LIFETIMES as readonly number[]).includes(d), { error: `Choose ${TOKEN_LIFETIMES.join(", ")} days.` }),
});
export type CreateApiTokenInput = z.infer<typeof createApiTokenInput>;

export const revokeApiTokenInput = z.object({ tokenId: z.uuid({ error: "That is not a valid token id." }) });
