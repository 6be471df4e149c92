import { Body, Button, Container, Head, Heading, Html, Preview, Text } from "@react-email/components";

export interface WebhookDisabledProps {
  /** The organisation, or the platform's service name for a platform-wide endpoint. */
  owner: string;
  url: string;
  failures: number;
  failingSince: string;
  reason: string;
  endpointUrl: string;
}

const text = { fontSize: "15px", lineHeight: "22px", color: "#1e293b" };

/**
 * A webhook endpoint failed every attempt for a day and was turned off (docs/webhooks.md,
 * "When an endpoint keeps failing"). Sent once, to the people who manage it.
 */
export function WebhookDisabled(p: WebhookDisabledProps) {
  return (
    <Html lang="en-GB">
      <Head />
      <Preview>{`Rotor stopped sending webhooks to ${p.url}`}</Preview>
      <Body style={{ backgroundColor: "#f1f5f9", fontFamily: "Arial, Helvetica, sans-serif" }}>
        <Container style={{ backgroundColor: "#ffffff", padding: "24px", maxWidth: "560px" }}>
          <Heading as="h1" style={{ fontSize: "20px", color: "#0b2545" }}>
            A webhook endpoint was turned off
          </Heading>
          <Text style={text}>
            {p.owner}: the endpoint {p.url} has failed {p.failures} deliveries in a row since {p.failingSince}, so Rotor has stopped sending
            to it. The last reason: {p.reason}
          </Text>
          <Text style={text}>
            Nothing is lost: the events it missed wait for it. Fix the endpoint, then turn it back on; Rotor sends what waits at once.
          </Text>
          <Button href={p.endpointUrl} style={{ backgroundColor: "#1d4e89", color: "#ffffff", padding: "10px 16px", borderRadius: "4px" }}>
            Open the endpoint
          </Button>
        </Container>
      </Body>
    </Html>
  );
}
