/** @jsxImportSource react */
// Sent when an active subscriber fills in the subscribe form again: no second subscription, just the
// way to change the existing one (the form's answer stays the same, so nobody learns who subscribes).
import { Button } from "@react-email/button";
import { Heading } from "@react-email/heading";
import { Link } from "@react-email/link";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import { EmailLayout } from "./layout";
import { styles } from "./theme";

export interface ManageLinkEmailProps {
  manageUrl: string;
  countries: string[];
  schedule: string;
  postalAddress: string;
}

export function manageLinkSubject(): string {
  return "Your World Digest subscription";
}

export function ManageLinkEmail({ manageUrl, countries, schedule, postalAddress }: ManageLinkEmailProps) {
  return (
    <EmailLayout
      preview="You are already subscribed. Here is the link to change your digest."
      footer={
        <Text style={styles.muted}>
          This email was sent because the subscribe form was filled in with this address. If that wasn't you,
          you can ignore it; nothing has changed. {postalAddress}
        </Text>
      }
    >
      <Heading as="h1" style={styles.h1}>
        You're already subscribed
      </Heading>
      <Text style={styles.p}>
        Your digest covers <strong>{countries.join(", ")}</strong>. Delivery: {schedule}.
      </Text>
      <Text style={styles.p}>To change countries, time or frequency, pause, or leave, use your personal link:</Text>
      <Section style={{ margin: "24px 0" }}>
        <Button href={manageUrl} style={styles.button}>
          Manage my subscription
        </Button>
      </Section>
      <Text style={styles.muted}>
        Or paste this link into your browser: <Link href={manageUrl} style={styles.link}>{manageUrl}</Link>
      </Text>
    </EmailLayout>
  );
}

ManageLinkEmail.PreviewProps = {
  manageUrl: "http://localhost:8787/manage/EXAMPLE-TOKEN",
  countries: ["Japan", "Brazil", "Slovakia", "Kenya"],
  schedule: "Every Saturday at 07:00 (America/Chicago)",
  postalAddress: "World Digest, 1 Example Street, Springfield, USA",
} satisfies ManageLinkEmailProps;

export default ManageLinkEmail;
