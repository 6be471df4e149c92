import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { describe, expect } from "vitest";
import { openDatabase } from "@/db/client";
import { webhookDeliveries } from "@/db/schema";
import { aClient, aMember, anOrganisation, aSecret } from "@/db/testing/builders";
import { raceTest } from "@/db/testing/race";
import { createTestDatabase } from "@/db/testing/test-database";
import { parseKeyRing } from "@/lib/crypto/encryption";
import { env } from "@/lib/env";
import { runScheduler } from "@/lib/scheduler/run-scheduler";
import { createEndpoint } from "./create-endpoint";
import { webhookLimits } from "./policy";

/*
 * "Two scheduler runs at once deliver nothing twice" (docs/webhooks.md, "Delivery"), on the
 * Postgres server with separate connection pools: many events wait, four runs start together on
 * two pools, and a receiver that answers slowly keeps every run busy while the others claim. Each
 * event must arrive exactly once. Without the claim's FOR UPDATE SKIP LOCKED and lease
 * (lib/data/webhooks.ts, claimDueDeliveries) runs take the same deliveries and this fails.
 */

const keyRing = parseKeyRing(`race:${randomBytes(32).toString("base64")}`);
const limits = webhookLimits({ ROTOR_ENV: "test" });
const EVENTS = 60;

describe("two scheduler runs at once", () => {
  raceTest("deliver every waiting event exactly once, each verified by the receiver", async () => {
    const fresh = await createTestDatabase();
    const second = await openDatabase({ url: fresh.url!, poolMode: env().DATABASE_POOL_MODE });
    const received: { id: string; body: string; headers: Record<string, string> }[] = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({
          id: String(req.headers["webhook-id"]),
          body: Buffer.concat(chunks).toString("utf8"),
          headers: req.headers as never,
        });
        // Slow enough that every run is still sending while the others claim.
        setTimeout(() => res.end("ok"), 15);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const organisation = await anOrganisation(fresh.db);
      const { user: spoc } = await aMember(fresh.db, organisation, { role: "spoc" });
      const client = await aClient(fresh.db, organisation);
      await aSecret(fresh.db, organisation, client, keyRing);
      const { signingSecret } = await createEndpoint(
        {
          db: fresh.db,
          organisation,
          role: "spoc",
          isOperator: false,
          actor: { type: "user", userId: spoc.id, label: spoc.email! },
          clock: () => new Date(),
          keyRing,
          limits,
        },
        { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, description: null, eventTypes: ["client.changed"] },
      );
      // Many events waiting at once, as after an outage, written the way the database writes them.
      await fresh.db.execute(sql`
        select rotor_emit_webhook(${organisation.id}::uuid, 'client.changed', jsonb_build_object('n', n), null, now())
        from generate_series(1, ${EVENTS}) n`);

      const at = new Date(Date.now() + 60_000);
      const results = await Promise.all(
        [fresh, second, fresh, second].map((h) =>
          runScheduler({ db: h.db, keyRing, publicUrl: "https://rotor.example", webhooks: { limits }, mail: { concurrency: 4 } }, at),
        ),
      );

      expect(received).toHaveLength(EVENTS);
      expect(new Set(received.map((r) => r.id)).size).toBe(EVENTS);
      for (const r of received) new Webhook(signingSecret).verify(r.body, r.headers);
      expect(results.reduce((n, r) => n + (r.webhooks.delivery?.sent ?? 0), 0)).toBe(EVENTS);
      // More than one run took part: the race happened.
      expect(results.filter((r) => (r.webhooks.delivery?.sent ?? 0) > 0).length).toBeGreaterThan(1);
      const deliveries = await fresh.db.select().from(webhookDeliveries);
      expect(deliveries.map((d) => [d.status, d.attempts])).toEqual(Array.from({ length: EVENTS }, () => ["sent", 1]));
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await second.close();
      await fresh.close();
    }
  });
});
