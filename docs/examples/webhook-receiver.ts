// A receiver for Rotor's webhooks (docs/webhooks.md), with the standardwebhooks package
// (npm install standardwebhooks). Rotor's own tests run this file against real deliveries
// (lib/webhooks/webhooks.integration.test.ts), so it stays correct.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Webhook, WebhookVerificationError } from "standardwebhooks";

interface RotorEvent {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

/**
 * `secrets`: the endpoint's signing secrets (whsec_...), newest first. During a rotation keep both
 * until Rotor stops signing with the old one; a delivery verifies if any of them signed it.
 * `seen`: webhook-ids already handled. Retries and replays carry the same id, so handle each once.
 */
export function rotorWebhookHandler(secrets: string[], seen: Set<string>, handle: (event: RotorEvent) => Promise<void>) {
  const verifiers = secrets.map((secret) => new Webhook(secret));
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Verify the body exactly as it arrived: parsing and re-serialising JSON changes the bytes.
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const headers = {
      "webhook-id": String(req.headers["webhook-id"] ?? ""),
      "webhook-timestamp": String(req.headers["webhook-timestamp"] ?? ""),
      "webhook-signature": String(req.headers["webhook-signature"] ?? ""),
    };
    let event: RotorEvent | null = null;
    for (const verifier of verifiers) {
      try {
        // Checks the signature and that the timestamp is within five minutes (replayed requests fail).
        event = verifier.verify(body, headers) as RotorEvent;
        break;
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
      }
    }
    if (!event) {
      res.writeHead(401).end("bad signature");
      return;
    }
    if (!seen.has(headers["webhook-id"])) {
      // Answer within 10 seconds: hand slow work to a queue. A non-2xx answer makes Rotor retry.
      await handle(event);
      seen.add(headers["webhook-id"]);
    }
    res.writeHead(204).end();
  };
}

// For example: rotate automatically when Rotor says a secret is about to expire.
if (process.argv[1]?.endsWith("webhook-receiver.ts")) {
  const secrets = (process.env.ROTOR_WEBHOOK_SECRETS ?? "").split(",").filter(Boolean);
  const handler = rotorWebhookHandler(secrets, new Set(), async (event) => {
    if (event.type === "secret.expiring") process.stdout.write(`rotate ${(event.data.client as { clientId: string }).clientId}\n`);
  });
  createServer((req, res) => void handler(req, res)).listen(Number(process.env.PORT ?? 8080));
}
