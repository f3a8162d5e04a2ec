/**
 * Reading the Umsetzungsbericht's documents back: the PDF with poppler's pdftotext and pdfinfo, the DOCX from
 * its XML.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';

/** Runs a poppler tool on the bytes; a clear instruction when poppler-utils is not installed. */
export function poppler(tool: 'pdftotext' | 'pdfinfo', pdf: Buffer, args: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'rkm-pdf-'));
  try {
    const file = join(dir, 'bericht.pdf');
    writeFileSync(file, pdf);
    try {
      return execFileSync(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])], {
        encoding: 'utf8',
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT')
        throw new Error(`${tool} fehlt: apt-get update && apt-get install -y poppler-utils`, {
          cause: error,
        });
      throw error;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of a DOCX's main part, and its XML. */
export async function docxParts(buffer: Buffer): Promise<{ xml: string; text: string }> {
  const zip = await JSZip.loadAsync(buffer);
  const xml = await zip.file('word/document.xml')!.async('string');
  // Cells separated by tabs, rows and paragraphs by line breaks.
  const text = xml
    .replace(/<\/w:p><\/w:tc>/g, '</w:tc>')
    .replace(/<\/w:tc>/g, '\t')
    .replace(/<\/w:tr>/g, '\n')
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
  return { xml, text };
}

/** The paragraphs of a DOCX with a given style, as text. */
export function styled(xml: string, style: string): string[] {
  return [...xml.matchAll(/<w:p>(?:(?!<\/w:p>).)*?<w:pStyle w:val="([^"]+)"\/>(?:(?!<\/w:p>).)*<\/w:p>/gs)]
    .filter((m) => m[1] === style)
    .map((m) => m[0].replace(/<[^>]+>/g, ''));
}
