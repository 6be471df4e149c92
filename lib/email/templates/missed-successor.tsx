import { Body, Button, Container, Head, Heading, Hr, Html, Preview, Text } from "@react-email/components";

export interface MissedSuccessorProps {
  organisation: string;
  client: string;
  clientId: string;
  expiredOn: string;
  issuedOn: string;
  apiTabUrl: string;
}

const text = { fontSize: "15px", lineHeight: "22px", color: "#1e293b" };

/**
 * The scheduler did not run during a secret's whole overlap window (downtime longer than the
 * overlap), so the secret expired before its successor was issued; the next run issued one at
 * once. Systems using the old secret have been refused since it expired.
 */
export function MissedSuccessor(p: MissedSuccessorProps) {
  return (
    <Html lang="en-GB">
      <Head />
      <Preview>{`${p.client}: the secret expired before a new one was issued; a new secret is ready`}</Preview>
      <Body style={{ backgroundColor: "#f1f5f9", fontFamily: "Arial, Helvetica, sans-serif" }}>
        <Container style={{ backgroundColor: "#ffffff", padding: "24px", maxWidth: "560px" }}>
          <Heading as="h1" style={{ fontSize: "20px", color: "#0b2545" }}>
            A new secret was issued after the old one expired
          </Heading>
          <Text style={text}>
            {p.organisation}: the client secret of {p.client} (client ID {p.clientId}) expired on {p.expiredOn} before its successor was
            issued, because the scheduler did not run during the overlap window. Systems using that secret have been refused since then.
          </Text>
          <Text style={text}>
            A new secret was issued on {p.issuedOn}. Copy it from the API tab into your systems now; it follows your organisation's usual
            policy from today.
          </Text>
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
