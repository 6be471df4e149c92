import { Body, Button, Container, Head, Heading, Hr, Html, Preview, Text } from "@react-email/components";
import { INVITATION_VALID_DAYS } from "@/lib/organisations/invitation-rule";

export interface InvitationProps {
  service: string;
  organisation: string;
  inviter: string;
  /** The role's label, e.g. "Organisation admin". */
  role: string;
  /** The portal's sign-in page, from configuration (ROTOR_PUBLIC_URL), never from a request. */
  signInUrl: string;
}

const text = { fontSize: "15px", lineHeight: "22px", color: "#1e293b" };

/**
 * Someone was invited into an organisation. It carries no sign-in link or token: the person signs
 * in at the portal with this address, as anyone does (docs/security.md).
 */
export function Invitation(p: InvitationProps) {
  return (
    <Html lang="en-GB">
      <Head />
      <Preview>{`${p.inviter} invited you to ${p.organisation} on ${p.service}`}</Preview>
      <Body style={{ backgroundColor: "#f1f5f9", fontFamily: "Arial, Helvetica, sans-serif" }}>
        <Container style={{ backgroundColor: "#ffffff", padding: "24px", maxWidth: "560px" }}>
          <Heading as="h1" style={{ fontSize: "20px", color: "#0b2545" }}>
            You have been invited to {p.organisation}
          </Heading>
          <Text style={text}>
            {p.inviter} invited you to {p.organisation} on {p.service}. Your role there: {p.role}.
          </Text>
          <Text style={text}>
            Sign in with this e-mail address at {p.signInUrl} within {INVITATION_VALID_DAYS} days. After that, ask {p.inviter} to send the
            invitation again.
          </Text>
          <Button href={p.signInUrl} style={{ backgroundColor: "#1d4e89", color: "#ffffff", padding: "10px 16px", borderRadius: "4px" }}>
            Sign in to {p.service}
          </Button>
          <Hr />
          <Text style={{ fontSize: "12px", color: "#475569" }}>
            If you did not expect this invitation, you can ignore this e-mail: nothing happens until you sign in.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}
