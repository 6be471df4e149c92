import { Body, Button, Container, Head, Heading, Hr, Html, Preview, Section, Text } from "@react-email/components";

export interface ExpiryReminderProps {
  organisation: string;
  client: string;
  clientId: string;
  credential: "secret" | "key";
  /** The masked secret or the key id. */
  identifier: string;
  expiryDate: string;
  daysLeft: number;
  apiTabUrl: string;
  usage: string;
  autoIssue: boolean;
  /** The organisation's time zone: the last day ends at midnight there. */
  timeZone: string;
  /** "A new secret ending … was issued on …", when there is one. */
  successor: string | null;
}

const text = { fontSize: "15px", lineHeight: "22px", color: "#1e293b" };

/** Seed 000's reminder: which credential, when it ends, what to do, and whether systems have moved. */
export function ExpiryReminder(p: ExpiryReminderProps) {
  const what = p.credential === "secret" ? `client secret ${p.identifier}` : `public key ${p.identifier}`;
  const when = p.daysLeft === 0 ? "today" : p.daysLeft === 1 ? "tomorrow" : `in ${p.daysLeft} days`;
  return (
    <Html lang="en-GB">
      <Head />
      <Preview>{`The ${what} of ${p.client} expires ${when} (${p.expiryDate})`}</Preview>
      <Body style={{ backgroundColor: "#f1f5f9", fontFamily: "Arial, Helvetica, sans-serif" }}>
        <Container style={{ backgroundColor: "#ffffff", padding: "24px", maxWidth: "560px" }}>
          <Heading as="h1" style={{ fontSize: "20px", color: "#0b2545" }}>
            {p.daysLeft === 0 ? `Access with this ${p.credential} ends today` : `Your ${p.credential} expires ${when}`}
          </Heading>
          <Text style={text}>
            {p.organisation}: the {what} of {p.client} (client ID {p.clientId}) works until the end of {p.expiryDate} ({p.timeZone} time)
            {p.daysLeft === 0 ? ". Requests that use it are refused after midnight tonight." : `, ${when}.`}
          </Text>
          {p.successor ? <Text style={text}>{p.successor}</Text> : null}
          <Section>
            <Text style={{ ...text, fontWeight: "bold" }}>What to do</Text>
            <Text style={text}>
              {p.credential === "secret"
                ? p.successor
                  ? `1. Put the new secret into your systems (the designated user copies it from the API tab, or reveals it where your policy allows). 2. Check on the API tab that they use it: "last used" moves to the new secret. 3. Revoke this one, or let it end on ${p.expiryDate}.`
                  : p.autoIssue
                    ? "A new secret is issued automatically when the overlap window begins. Then put it into your systems before this one ends; both are accepted until then."
                    : "Your designated user issues a new secret from the API tab (or the management API). Both secrets are accepted until this one ends; move your systems to the new one before then."
                : "Register a new public key on the API tab, switch your systems to sign with it, then revoke the old key."}
            </Text>
            <Text style={text}>{p.usage}</Text>
          </Section>
          <Button href={p.apiTabUrl} style={{ backgroundColor: "#1d4e89", color: "#ffffff", padding: "10px 16px", borderRadius: "4px" }}>
            Open the API tab
          </Button>
          <Hr />
          <Text style={{ fontSize: "12px", color: "#475569" }}>
            You receive this because you are an organisation admin or the designated user of {p.organisation}.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}
