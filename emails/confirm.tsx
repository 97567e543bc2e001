/** @jsxImportSource react */
// Double opt-in: the link opens a page with a Confirm button; only that button's POST confirms.
import { Button } from "@react-email/button";
import { Heading } from "@react-email/heading";
import { Link } from "@react-email/link";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import { EmailLayout } from "./layout";
import { styles } from "./theme";

export interface ConfirmEmailProps {
  confirmUrl: string;
  countries: string[];
  schedule: string;
  postalAddress: string;
}

export function confirmSubject(): string {
  return "Confirm your World Digest subscription";
}

export function ConfirmEmail({ confirmUrl, countries, schedule, postalAddress }: ConfirmEmailProps) {
  return (
    <EmailLayout
      preview="One click to start your digest of overlooked international stories."
      footer={
        <Text style={styles.muted}>
          Someone (hopefully you) asked to subscribe this address to World Digest. If it wasn't you, ignore this
          email: nothing will be sent unless the subscription is confirmed. {postalAddress}
        </Text>
      }
    >
      <Heading as="h1" style={styles.h1}>
        Confirm your subscription
      </Heading>
      <Text style={styles.p}>
        You asked for the international stories American media overlook, from <strong>{countries.join(", ")}</strong>.
      </Text>
      <Text style={styles.p}>Delivery: {schedule}.</Text>
      <Section style={{ margin: "24px 0" }}>
        <Button href={confirmUrl} style={styles.button}>
          Confirm my subscription
        </Button>
      </Section>
      <Text style={styles.muted}>
        Or paste this link into your browser: <Link href={confirmUrl} style={styles.link}>{confirmUrl}</Link>
      </Text>
      <Text style={styles.muted}>
        The link works for 7 days, and only for this request: if the form is sent again with this address, a new
        email with its own link replaces this one.
      </Text>
    </EmailLayout>
  );
}

ConfirmEmail.PreviewProps = {
  confirmUrl: "http://localhost:8787/confirm/EXAMPLE-TOKEN",
  countries: ["Japan", "Brazil", "Slovakia"],
  schedule: "Weekdays (Monday to Friday) at 07:00 (America/Chicago)",
  postalAddress: "World Digest, 1 Example Street, Springfield, USA",
} satisfies ConfirmEmailProps;

export default ConfirmEmail;
