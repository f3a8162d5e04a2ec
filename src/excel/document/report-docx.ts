/**
 * The Umsetzungsbericht as a Word document (docx): the same content as the PDF, with Word's own heading
 * styles (Title, Heading 1–3, so navigation pane and table of contents work), tables whose first row is a
 * repeated header row, German as the document language and the title in the document properties.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { DocumentGroups, ReportDocument } from './report-document.js';

const HEADER_FILL = 'E8EEF5';
const SUM_FILL = 'F3F3F3';
const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '8C8C8C' };

type Cell = string | number;

function cell(value: Cell, options: { bold?: boolean; fill?: string; right?: boolean } = {}): TableCell {
  return new TableCell({
    children: [
      new Paragraph({
        alignment: options.right ? AlignmentType.RIGHT : AlignmentType.LEFT,
        children: [new TextRun({ text: String(value), bold: options.bold })],
      }),
    ],
    shading: options.fill ? { type: ShadingType.CLEAR, fill: options.fill, color: 'auto' } : undefined,
    borders: { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER },
  });
}

/** A table with a caption above it and a header row repeated on every page. */
function table(
  caption: string,
  headers: string[],
  rows: Cell[][],
  sumRows: Cell[][] = [],
): (Paragraph | Table)[] {
  return [
    new Paragraph({
      children: [new TextRun({ text: caption, bold: true })],
      keepNext: true,
      spacing: { before: 120 },
    }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({
          tableHeader: true,
          cantSplit: true,
          children: headers.map((h) => cell(h, { bold: true, fill: HEADER_FILL })),
        }),
        ...rows.map(
          (row) =>
            new TableRow({
              cantSplit: true,
              children: row.map((v) => cell(v, { right: typeof v === 'number' })),
            }),
        ),
        ...sumRows.map(
          (row) =>
            new TableRow({
              cantSplit: true,
              children: row.map((v) => cell(v, { bold: true, fill: SUM_FILL, right: typeof v === 'number' })),
            }),
        ),
      ],
    }),
  ];
}

const heading = (text: string, level: 1 | 2 | 3, pageBreakBefore = false): Paragraph =>
  new Paragraph({
    text,
    heading: { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 }[level],
    pageBreakBefore,
  });

const text = (value: string, options: { bold?: boolean; color?: string; size?: number } = {}): Paragraph =>
  new Paragraph({ children: [new TextRun({ text: value, ...options })], spacing: { after: 120 } });

function breakdown(doc: ReportDocument, b: DocumentGroups): (Paragraph | Table)[] {
  return [
    heading(b.heading, 3),
    ...table(
      `${doc.texts.byStatus} je ${b.label}`,
      ['Code', b.label, doc.words.measures, ...doc.statusLabels, 'Ø Fortschritt (%)'],
      b.rows.map((r) => [r.code, r.title, r.total, ...r.counts, r.average]),
      [['', 'Summe', b.sums.total, ...b.sums.counts, '']],
    ),
    ...(b.note ? [text(b.note, { size: 16, color: '3C3C3C' })] : []),
  ];
}

export async function reportDocx(doc: ReportDocument): Promise<Buffer> {
  const { words, headings, texts } = doc;
  const children: (Paragraph | Table)[] = [
    text(`${doc.planName}${doc.region ? ` – ${doc.region}` : ''}`, { size: 26 }),
    text(words.report.toUpperCase(), { size: 24, color: '1F4E79' }),
    new Paragraph({ text: doc.title, heading: HeadingLevel.TITLE }),
    text(`Berichtszyklus: ${doc.cycleName} (${doc.cycleCode})`, { size: 22 }),
    text(`Berichtszeitraum: ${doc.period}`, { size: 22 }),
    text(`Stand: ${doc.stateLabel}`, { size: 22 }),
    text(`Erstellt am: ${doc.generated}`, { size: 22 }),
    text(doc.basis),
    ...(doc.draft ? [text(doc.draftNotice, { bold: true, color: '8A1C1C', size: 22 })] : []),
    ...(doc.example ? [text(doc.exampleNotice, { bold: true, color: '5C3F00', size: 22 })] : []),
    heading('Inhalt', 1, true),
    ...doc.chapters.map((c, i) => text(`${i + 1}. ${c.title}`, { size: 22 })),

    heading(headings.summary, 1, true),
    text(texts.summary),
    ...table(
      texts.byStatus,
      ['Status', words.measures, 'Anteil'],
      doc.totals.lines.map((l) => [l.label, l.count, l.share]),
      [
        [`${words.measures} gesamt`, doc.totals.total, '100,0 %'],
        ['Durchschnittlicher Fortschritt', doc.totals.average, ''],
      ],
    ),
    ...doc.breakdowns.flatMap((b) => breakdown(doc, b)),

    heading(headings.measures, 1, true),
    text(texts.measuresTableIntro),
    ...(doc.fields.length
      ? doc.fields.flatMap((f) => [
          heading(f.heading, 2),
          ...table(
            f.caption,
            [
              'Code',
              words.measure,
              words.goals,
              'Federführung',
              'Status',
              'Fortschritt',
              'Stand vom',
              'Sachstand',
            ],
            f.measures.map((m) => [
              m.code,
              m.title,
              m.goals,
              m.department,
              m.status,
              m.progress,
              m.reportedAt,
              m.summary,
            ]),
          ),
        ])
      : [text(texts.noMeasures)]),

    heading(headings.governance, 1, true),
    heading('Sitzungen je Jahr', 2),
    ...(doc.cadence.length
      ? table(
          texts.cadenceCaption,
          [words.body, 'Jahr', 'Sitzungen', 'Soll je Jahr', 'Einhaltung'],
          doc.cadence.map((r) => [r.name, String(r.year), r.held, r.cadence, r.status]),
        )
      : [text(texts.noBodies)]),
    heading('Sitzungen und Beteiligungsformate im Berichtszeitraum', 2),
    ...(doc.meetings.length
      ? table(
          'Sitzungen und Beteiligungsformate im Berichtszeitraum',
          ['Datum', `${words.body} / Format`, 'Titel', 'Teilnehmende', 'Ort', 'Zusammenfassung'],
          doc.meetings.map((m) => [m.dateText, m.body, m.title, m.participantsText, m.place, m.summary]),
        )
      : [text('Im Berichtszeitraum sind keine Sitzungen erfasst.')]),
    heading('Beschlüsse', 2),
    ...(doc.decisions.length
      ? table(
          'Beschlüsse im Berichtszeitraum',
          [
            'Sitzung vom',
            words.body,
            'Art',
            'Beschluss',
            'Verantwortlich',
            'Fällig',
            'Stand',
            'Überfällig',
            words.measures,
          ],
          doc.decisions.map((d) => [
            d.dateText,
            d.body,
            d.kind,
            d.text,
            d.department,
            d.dueText,
            d.state,
            d.overdue,
            d.measures,
          ]),
        )
      : [text('Im Berichtszeitraum sind keine Beschlüsse erfasst.')]),

    heading(headings.indicators, 1, true),
    ...(doc.indicators.length
      ? table(
          'Indikatoren mit Ausgangswert, Zielwert und letztem Wert (gesamt)',
          [
            'Code',
            'Indikator',
            'Einheit',
            words.field,
            'Ausgangswert (Jahr)',
            'Zielwert (Jahr)',
            'Letzter Wert (Jahr)',
            'Fortschritt zum Ziel',
            'Quelle',
          ],
          doc.indicators.map((i) => [
            i.code,
            i.name,
            i.unit,
            i.field,
            i.baseline,
            i.target,
            i.latest,
            i.progressText,
            i.source,
          ]),
        )
      : [text('Keine Indikatoren erfasst.')]),

    heading(headings.changes, 1, true),
    text(doc.changes.note),
    ...(doc.changes.rows.length
      ? table(
          texts.changesCaption,
          ['Code', words.measure, 'Veränderung', 'Status vorher', 'Status jetzt', 'Grund / Beschluss'],
          doc.changes.rows.map((r) => [
            r.code,
            r.title,
            r.change,
            r.fromText,
            r.toText,
            `${r.reason}${r.summary ? ` – ${r.summary}` : ''}`,
          ]),
        )
      : []),
    ...(doc.revisions.length
      ? [
          heading(headings.revisions, 1, true),
          ...table(
            texts.revisionsCaption,
            ['Gültig ab', 'Version', 'Änderung', 'Begründung'],
            doc.revisions.map((r) => [r.dateText, r.version, r.change, r.reason]),
          ),
        ]
      : []),
  ];
  const document = new Document({
    title: doc.title,
    subject: doc.subject,
    creator: doc.region || 'Rahmenkonzept-Monitor',
    keywords: [words.report, doc.cycleCode, doc.draft ? 'Entwurf' : '', doc.example ? 'Beispieldaten' : '']
      .filter(Boolean)
      .join('; '),
    description: doc.subject,
    styles: {
      default: {
        document: { run: { font: 'Arial', size: 20, language: { value: 'de-DE' } } },
      },
    },
    sections: [{ properties: {}, children }],
  });
  return Packer.toBuffer(document);
}
