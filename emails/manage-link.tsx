/** @jsxImportSource react */
// Sent when an active subscriber fills in the subscribe form again — no second subscription, just the
// way to change the existing one (the form's answer stays the same, so nobody learns who subscribes) —
// and when a reader asks for a fresh link. Either way its link is fresh: for a while it also opens
// export, erase and the full address, which links in digests never do (src/subscriptions/link-policy.ts).
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
  /** Why it was sent: the subscribe form was filled in again, or the reader asked for a fresh link. */
  reason: "subscribe-form" | "fresh-link";
  /** How long the link opens export and erase. */
  freshForHours: number;
}

export function manageLinkSubject(reason: ManageLinkEmailProps["reason"] = "subscribe-form"): string {
  return reason === "fresh-link" ? "Your fresh World Digest link" : "Your World Digest subscription";
}

export function ManageLinkEmail({ manageUrl, countries, schedule, postalAddress, reason, freshForHours }: ManageLinkEmailProps) {
  const fresh = reason === "fresh-link";
  return (
    <EmailLayout
      preview={fresh ? "The fresh link you asked for. Links in earlier emails no longer work." : "You are already subscribed. Here is the link to change your digest."}
      footer={
        <Text style={styles.muted}>
          {fresh
            ? "This email was sent because a fresh link was asked for from your subscription's page. If that wasn't you, someone had one of your links: it no longer works."
            : "This email was sent because the subscribe form was filled in with this address. If that wasn't you, you can ignore it; nothing has changed."}{" "}
          {postalAddress}
        </Text>
      }
    >
      <Heading as="h1" style={styles.h1}>
        {fresh ? "Your fresh link" : "You're already subscribed"}
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
      <Text style={styles.muted}>
        For the next {freshForHours} hours this link also lets you export or erase your data. Please don't forward
        this email.
      </Text>
    </EmailLayout>
  );
}

ManageLinkEmail.PreviewProps = {
  manageUrl: "http://localhost:8787/manage/EXAMPLE-TOKEN",
  countries: ["Japan", "Brazil", "Slovakia", "Kenya"],
  schedule: "Every Saturday at 07:00 (America/Chicago)",
  postalAddress: "World Digest, 1 Example Street, Springfield, USA",
  reason: "subscribe-form",
  freshForHours: 24,
} satisfies ManageLinkEmailProps;

export default ManageLinkEmail;
