/** @jsxImportSource react */
// The shared frame of the service emails (confirmation, manage link): brand, card, footer.
import { Body, Container, Head, Html, Preview, Section, Text } from "@react-email/components";
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
