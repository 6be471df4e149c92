import { Body, Button, Container, Head, Heading, Html, Preview, Text } from "@react-email/components";

export interface SignInLinkProps {
  url: string;
  minutes: number;
  service: string;
}

export function SignInLink(p: SignInLinkProps) {
  return (
    <Html lang="en-GB">
      <Head />
      <Preview>{`Your sign-in link for ${p.service}`}</Preview>
      <Body style={{ backgroundColor: "#f1f5f9", fontFamily: "Arial, Helvetica, sans-serif" }}>
        <Container style={{ backgroundColor: "#ffffff", padding: "24px", maxWidth: "560px" }}>
          <Heading as="h1" style={{ fontSize: "20px", color: "#0b2545" }}>
            Sign in to {p.service}
          </Heading>
          <Text style={{ fontSize: "15px", lineHeight: "22px" }}>
            Use this link within {p.minutes} minutes. It works once. If you did not ask to sign in, ignore this e-mail: nothing happens
            without the link.
          </Text>
          <Button href={p.url} style={{ backgroundColor: "#1d4e89", color: "#ffffff", padding: "10px 16px", borderRadius: "4px" }}>
            Sign in
          </Button>
          <Text style={{ fontSize: "12px", color: "#475569", wordBreak: "break-all" }}>Or open: {p.url}</Text>
        </Container>
      </Body>
    </Html>
  );
}
