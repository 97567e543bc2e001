// Renders the service emails (confirmation, manage link) to HTML and plain text.
import { render } from "@react-email/render";
import { createElement } from "react";
import { ConfirmEmail, confirmSubject, type ConfirmEmailProps } from "./confirm";
import { ManageLinkEmail, manageLinkSubject, type ManageLinkEmailProps } from "./manage-link";

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export async function renderConfirmEmail(props: ConfirmEmailProps): Promise<RenderedEmail> {
  const element = createElement(ConfirmEmail, props);
  return { subject: confirmSubject(), html: await render(element), text: await render(element, { plainText: true }) };
}

export async function renderManageLinkEmail(props: ManageLinkEmailProps): Promise<RenderedEmail> {
  const element = createElement(ManageLinkEmail, props);
  return { subject: manageLinkSubject(props.reason), html: await render(element), text: await render(element, { plainText: true }) };
}
