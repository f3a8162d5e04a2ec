/**
 * The German mails: each a subject, a plain-text body and the same in HTML, with a link to the exact page.
 * Pure functions of the data, so that a retry sends what the log recorded and a spec can read them.
 */
import { escapeHtml } from '../common/html.js';

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

export interface MailItem {
  /** One line, e.g. "3.1-04 Sprachkurse für Eltern". */
  label: string;
  /** Optional second line (a review comment, a due date). */
  detail?: string;
}

export interface MailSection {
  heading: string;
  /** Shown when the section has no items. */
  empty?: string;
  items: MailItem[];
  /** "… und 12 weitere". */
  more?: number;
}

/** 2027-03-15 → 15.03.2027. */
export function germanDay(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso.split('-').reverse().join('.') : iso;
}

const FOOTER =
  'Diese Nachricht wurde vom Rahmenkonzept-Monitor automatisch versandt. Wöchentliche Übersichten können Sie unter „Benachrichtigungen“ in Ihrem Konto abbestellen.';

/** Builds a mail from a greeting, paragraphs, sections and one link. */
export function composeMail(input: {
  subject: string;
  greetingName: string;
  paragraphs: string[];
  sections?: MailSection[];
  link: { label: string; url: string };
}): MailContent {
  const sections = input.sections ?? [];
  const text = [
    `Guten Tag ${input.greetingName},`,
    '',
    ...input.paragraphs.flatMap((p) => [p, '']),
    ...sections.flatMap((s) => [
      `${s.heading}:`,
      ...(s.items.length === 0 && s.empty ? [`  ${s.empty}`] : []),
      ...s.items.flatMap((i) => [`  - ${i.label}`, ...(i.detail ? [`    ${i.detail}`] : [])]),
      ...(s.more ? [`  … und ${s.more} weitere`] : []),
      '',
    ]),
    `${input.link.label}: ${input.link.url}`,
    '',
    '-- ',
    FOOTER,
    '',
  ].join('\n');
  const html = [
    '<!doctype html><html lang="de"><head><meta charset="utf-8">',
    `<title>${escapeHtml(input.subject)}</title></head><body>`,
    `<p>Guten Tag ${escapeHtml(input.greetingName)},</p>`,
    ...input.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...sections.map(
      (s) =>
        `<h2>${escapeHtml(s.heading)}</h2>` +
        (s.items.length === 0 && s.empty ? `<p>${escapeHtml(s.empty)}</p>` : '') +
        (s.items.length
          ? `<ul>${s.items
              .map((i) => `<li>${escapeHtml(i.label)}${i.detail ? `<br>${escapeHtml(i.detail)}` : ''}</li>`)
              .join('')}</ul>`
          : '') +
        (s.more ? `<p>… und ${s.more} weitere</p>` : ''),
    ),
    `<p><a href="${escapeHtml(input.link.url)}">${escapeHtml(input.link.label)}</a></p>`,
    `<hr><p><small>${escapeHtml(FOOTER)}</small></p>`,
    '</body></html>',
  ].join('\n');
  return { subject: input.subject, text, html };
}
