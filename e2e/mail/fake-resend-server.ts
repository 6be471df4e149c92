/**
 * The e-mail provider of the e2e main server: the real Resend SDK in the server talks to this
 * local stand-in (lib/email/testing/fake-resend.ts), and specs read each recipient's inbox back
 * from it, as a person would read their own e-mail.
 */
import { startFakeResend } from "@/lib/email/testing/fake-resend";

const port = Number(process.argv[2] ?? 3302);
const fake = await startFakeResend({ port });
console.info(`fake Resend listening on ${fake.url}`);
