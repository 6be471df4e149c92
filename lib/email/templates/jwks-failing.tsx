import { Body, Button, Container, Head, Heading, Hr, Html, Preview, Text } from "@react-email/components";

export interface JwksFailingProps {
  organisation: string;
  client: string;
  clientId: string;
  uri: string;
  reason: string;
  failingSince: string;
  apiTabUrl: string;
}

const text = { fontSize: "15px", lineHeight: "22px", color: "#1e293b" };

/**
 * Fetching a client's JWKS URL has failed for hours (docs/domain.md, "Keys at a JWKS URL"): Rotor
 * still uses the keys it fetched last, for a day after they went stale, then refuses assertions
 * signed with them. Sent once per run of failures.
 */
export function JwksFailing(p: JwksFailingProps) {
  return (
    <Html lang="en-GB">
      <Head />
      <Preview>{`${p.client}: Rotor cannot fetch the client's JWKS URL`}</Preview>
      <Body style={{ backgroundColor: "#f1f5f9", fontFamily: "Arial, Helvetica, sans-serif" }}>
        <Container style={{ backgroundColor: "#ffffff", padding: "24px", maxWidth: "560px" }}>
          <Heading as="h1" style={{ fontSize: "20px", color: "#0b2545" }}>
            Rotor cannot fetch a client&apos;s published keys
          </Heading>
          <Text style={text}>
            {p.organisation}: fetching the JWKS URL of {p.client} (client ID {p.clientId}) has failed since {p.failingSince}. The last
            reason: {p.reason}
          </Text>
          <Text style={text}>URL: {p.uri}</Text>
          <Text style={text}>
            Rotor keeps using the keys it fetched last, for up to a day after they went stale; after that, assertions signed with them are
            refused. Fix the URL, or register the client&apos;s public key on the API tab.
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
