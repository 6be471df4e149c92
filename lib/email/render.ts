import { plainTextSelectors, render } from "@react-email/render";
import { compile } from "html-to-text";
import { createElement, type ReactElement } from "react";
import { decrypt, type KeyRing } from "@/lib/crypto/encryption";
import { outboxLinkCipherContext } from "@/lib/data/cipher-contexts";
import { formatDateTime, formatLastUsed } from "@/lib/format";
import { calendarDate, daysBetween, formatCalendarDate, toCalendarDate } from "@/lib/rotation/calendar";
import { ExpiryReminder } from "./templates/expiry-reminder";
import { Invitation } from "./templates/invitation";
import { JwksFailing } from "./templates/jwks-failing";
import { MissedSuccessor, type MissedSuccessorProps } from "./templates/missed-successor";
import { SignInLink } from "./templates/sign-in-link";
import { WebhookDisabled } from "./templates/webhook-disabled";
import { reminderSubject } from "./wording";

/**
 * react-email's plain-text conversion (render with plainText: true, its own html-to-text options),
 * compiled once: converting anew rebuilt the converter for every message, which cost four times
 * the render itself and made a wave of reminders CPU-bound (docs/scheduler-performance.md). The
 * result is the same text, which lib/email/render.test.ts checks for every template.
 */
let htmlToText: ((html: string) => string) | undefined;

/** The message's HTML, and its plain-text part converted from that same HTML (one React render, not two). */
async function renderBoth(element: ReactElement): Promise<{ html: string; text: string }> {
  const html = await render(element);
  htmlToText ??= compile({ wordwrap: false, selectors: plainTextSelectors });
  return { html, text: htmlToText(html) };
}

/** What the scheduler stores with an outbox row (set-based SQL), rendered at delivery time. */
export interface ExpiryReminderData {
  organisation: string;
  slug: string;
  client: string;
  clientId: string;
  credential: "secret" | "key";
  identifier: string;
  expiryDate: string;
  timeZone: string;
  locale: string;
  autoIssue: boolean;
  lastUsedAt: string | null;
  /** The secret issued to follow this one; maskedTail and issuedBy are absent from mails queued before they were added. */
  successor: { createdAt: string; lastUsedAt: string | null; maskedTail?: string; issuedBy?: string } | null;
}

/** "A new secret ••••wxyz was issued automatically on 19/07/2026." for the reminder, or null. */
export function describeSuccessor(d: ExpiryReminderData): string | null {
  if (d.credential !== "secret" || !d.successor) return null;
  const name = d.successor.maskedTail ? `A new secret ending ${d.successor.maskedTail}` : "A new secret";
  const how = d.successor.issuedBy === "auto" ? " automatically" : "";
  const on = formatCalendarDate(toCalendarDate(new Date(d.successor.createdAt), d.timeZone), d.locale);
  return `${name} was issued${how} on ${on}. Both are accepted until this one ends.`;
}

export function describeUsage(d: ExpiryReminderData, now: Date): string {
  if (d.credential === "key")
    return d.lastUsedAt
      ? `This key last signed a request ${formatLastUsed(new Date(d.lastUsedAt), now, d.locale).toLowerCase()}.`
      : "This key has not been used.";
  const old = d.lastUsedAt ? `was last used ${formatLastUsed(new Date(d.lastUsedAt), now, d.locale).toLowerCase()}` : "has not been used";
  if (!d.successor) return `No new secret has been issued yet. This secret ${old}.`;
  if (!d.successor.lastUsedAt) return `A new secret is waiting: your systems have not used it yet, and this secret ${old}.`;
  const recent = d.lastUsedAt && Date.parse(d.lastUsedAt) > Date.parse(d.successor.lastUsedAt);
  return recent
    ? `Your systems use both: the new secret was last used ${formatLastUsed(new Date(d.successor.lastUsedAt), now, d.locale).toLowerCase()}, and this one ${old}.`
    : `Your systems have moved to the new secret (last used ${formatLastUsed(new Date(d.successor.lastUsedAt), now, d.locale).toLowerCase()}); this one ${old}. You can revoke it early.`;
}

export interface MissedSuccessorData {
  organisation: string;
  slug: string;
  client: string;
  clientId: string;
  expiredOn: string;
  issuedOn: string;
  locale: string;
}

/** A client's JWKS URL keeps failing (lib/scheduler/jwks-failures.ts); dates as ISO instants, worded at delivery. */
export interface JwksFailingData {
  organisation: string;
  slug: string;
  client: string;
  clientId: string;
  uri: string;
  reason: string;
  failingSince: string;
  locale: string;
  timeZone: string;
}

/** A webhook endpoint turned off for failing (lib/webhooks/deliver.ts); the link is the deployment's own page. */
export interface WebhookDisabledData {
  owner: string;
  /** The portal path of the endpoint's page, such as /orgs/acme/manage/webhooks/<id>. */
  path: string;
  url: string;
  failures: number;
  reason: string;
  failingSince: string;
  locale: string;
  timeZone: string;
}

/** What an invitation stores in the outbox: names only, never a link or token; the URL is the deployment's. */
export interface InvitationData {
  service: string;
  organisation: string;
  inviter: string;
  role: string;
}

/**
 * Renders a queued message at delivery time. Where the subject depends on the day (a reminder's
 * "expires in N days"), it is worded from `now`, the instant the mail goes out, so a reminder
 * delayed by a provider outage does not say 20 days when 19 are left.
 */
export async function renderMessage(
  message: { id: string; template: string; data: Record<string, unknown> },
  now: Date,
  publicUrl: string,
  keyRing?: KeyRing,
): Promise<{ html: string; text: string; subject?: string }> {
  const { template, data } = message;
  if (template === "sign-in-link") {
    // The link waits in the outbox encrypted, bound to its message (docs/security.md, "Sign-in links").
    const sealed = data.sealedUrl as { ciphertext: string; keyId: string } | undefined;
    if (!sealed || !keyRing) throw new Error("a sign-in link can only be rendered with the key ring");
    const url = decrypt(sealed.ciphertext, sealed.keyId, keyRing, outboxLinkCipherContext(message.id));
    const props = { url, minutes: Number(data.minutes), service: String(data.service) };
    const element = createElement(SignInLink, props);
    return renderBoth(element);
  }
  if (template === "invitation") {
    const d = data as unknown as InvitationData;
    const element = createElement(Invitation, {
      service: d.service,
      organisation: d.organisation,
      inviter: d.inviter,
      role: d.role,
      signInUrl: `${publicUrl}/signin`,
    });
    return renderBoth(element);
  }
  if (template === "missed-successor") {
    const d = data as unknown as MissedSuccessorData;
    const props: MissedSuccessorProps = {
      organisation: d.organisation,
      client: d.client,
      clientId: d.clientId,
      expiredOn: formatCalendarDate(calendarDate(d.expiredOn), d.locale),
      issuedOn: formatCalendarDate(calendarDate(d.issuedOn), d.locale),
      apiTabUrl: `${publicUrl}/orgs/${d.slug}/manage/api`,
    };
    const element = createElement(MissedSuccessor, props);
    return renderBoth(element);
  }
  if (template === "jwks-failing") {
    const d = data as unknown as JwksFailingData;
    const element = createElement(JwksFailing, {
      organisation: d.organisation,
      client: d.client,
      clientId: d.clientId,
      uri: d.uri,
      reason: d.reason,
      failingSince: formatDateTime(new Date(d.failingSince), d.locale, d.timeZone),
      apiTabUrl: `${publicUrl}/orgs/${d.slug}/manage/api`,
    });
    return renderBoth(element);
  }
  if (template === "webhook-disabled") {
    const d = data as unknown as WebhookDisabledData;
    const element = createElement(WebhookDisabled, {
      owner: d.owner,
      url: d.url,
      failures: d.failures,
      reason: d.reason,
      failingSince: formatDateTime(new Date(d.failingSince), d.locale, d.timeZone),
      endpointUrl: `${publicUrl}${d.path}`,
    });
    return renderBoth(element);
  }
  if (template !== "expiry-reminder") throw new Error(`unknown e-mail template ${template}`);
  const d = data as unknown as ExpiryReminderData;
  const expiry = calendarDate(d.expiryDate);
  const props = {
    organisation: d.organisation,
    client: d.client,
    clientId: d.clientId,
    credential: d.credential,
    identifier: d.identifier,
    expiryDate: formatCalendarDate(expiry, d.locale),
    daysLeft: Math.max(0, daysBetween(toCalendarDate(now, d.timeZone), expiry)),
    apiTabUrl: `${publicUrl}/orgs/${d.slug}/manage/api`,
    usage: describeUsage(d, now),
    autoIssue: d.autoIssue,
    timeZone: d.timeZone,
    successor: describeSuccessor(d),
  };
  const element = createElement(ExpiryReminder, props);
  return { ...(await renderBoth(element)), subject: reminderSubject(d.credential, d.client, props.daysLeft) };
}
