/** @jsxImportSource react */
// The shared frame of the service emails (confirmation, manage link): brand, card, footer.
// Each component from its own package: @react-email/components re-exports all twenty (Tailwind, Prism
// and Markdown among them), which cost every process ~43 MB and a second of start-up to load.
import { Body } from "@react-email/body";
import { Container } from "@react-email/container";
import { Head } from "@react-email/head";
import { Html } from "@react-email/html";
import { Preview } from "@react-email/preview";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import type { ReactNode } from "react";
import { styles } from "./theme";

export interface EmailLayoutProps {
  preview: string;
  children: ReactNode;
  footer?: ReactNode;
}

export function EmailLayout({ preview, children, footer }: EmailLayoutProps) {
  return (
    <Html lang="en">
      <Head>
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
      </Head>
      <Preview>{preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Section style={styles.inner}>
            <Text style={styles.brand}>🌍 World Digest</Text>
            {children}
          </Section>
        </Container>
        {footer ? (
          <Container style={{ maxWidth: "600px", margin: "0 auto", padding: "16px 32px" }}>{footer}</Container>
        ) : null}
      </Body>
    </Html>
  );
}
