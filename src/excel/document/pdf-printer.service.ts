/**
 * Prints HTML to PDF with the real Chromium (playwright-core): tagged, with a document outline, A4. One
 * browser per process, started as soon as the first PDF is asked for (while its data is still being read)
 * and closed when the application shuts down; one PDF at a time (a queue), so that a burst of requests does
 * not open many pages of a large report at once. Without a Chromium at CHROMIUM_PATH the request is refused
 * with a German 503 that says what to install.
 *
 * What makes a large report print fast (measured with 10,000 measures): the page is laid out for print from
 * the start (print media, a viewport as wide as the printed column), so that printing does not lay it out
 * anew at another width; and the document must fit the page width (see the template), or Chromium lays the
 * whole document out a second time, scaled down.
 */
import { accessSync, constants } from 'node:fs';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type Browser, chromium } from 'playwright-core';
import { AppConfig } from '../../common/config/app-config.js';
import { DomainError } from '../../common/http/domain-errors.js';
import { ReportError } from '../report-errors.js';

const PAGE = {
  format: 'A4',
  margin: { top: '16mm', bottom: '18mm', left: '14mm', right: '14mm' },
} as const;
/** A4's width less the side margins, in CSS pixels: 210 mm - 2 × 14 mm = 182 mm. */
const PRINT_WIDTH = Math.round((182 / 25.4) * 96);

/** How long a shutdown waits for a browser that is still starting. */
const SHUTDOWN_WAIT_MS = 2_000;

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

@Injectable()
export class PdfPrinter implements OnApplicationShutdown {
  private readonly logger = new Logger('PDF');
  private browser: Promise<Browser> | null = null;
  /** The PDF being printed now; the next one waits for it. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly config: AppConfig) {}

  /**
   * Refuses at once (503) when there is no Chromium to print with; otherwise starts the browser in the
   * background, so that it is ready when the document's HTML is.
   */
  ensureAvailable(): void {
    this.checkExecutable();
    // A failed start is logged by launch() and reported by the print that waits for it.
    this.launch().catch(() => undefined);
  }

  /** The HTML printed to PDF; `title` goes into the PDF's properties (from the page's <title>). */
  print(html: string, title: string): Promise<Buffer> {
    const job = this.queue.then(() => this.printNow(html, title));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private async printNow(html: string, title: string): Promise<Buffer> {
    const browser = await this.launch();
    const context = await browser.newContext({
      javaScriptEnabled: false,
      offline: true,
      viewport: { width: PRINT_WIDTH, height: 1000 },
    });
    try {
      const page = await context.newPage();
      await page.emulateMedia({ media: 'print' });
      // Nothing is loaded from elsewhere: the document brings its styles and charts inline.
      await page.route('**/*', (route) => route.abort());
      const started = performance.now();
      await page.setContent(html, { waitUntil: 'load', timeout: 120_000 });
      const loaded = performance.now();
      const pdf = await page.pdf({
        ...PAGE,
        printBackground: true,
        tagged: true,
        outline: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: `<div style="font-size:7pt;width:100%;padding:0 14mm;display:flex;justify-content:space-between;color:#444"><span>${escapeHtml(title)}</span><span>Seite <span class="pageNumber"></span> von <span class="totalPages"></span></span></div>`,
      });
      this.logger.debug(
        `${title}: HTML geladen in ${Math.round(loaded - started)} ms, gedruckt in ${Math.round(performance.now() - loaded)} ms (${pdf.length} Bytes)`,
      );
      return pdf;
    } finally {
      await context.close().catch(() => undefined);
    }
  }

  private checkExecutable(): void {
    try {
      accessSync(this.config.CHROMIUM_PATH, constants.X_OK);
    } catch {
      throw this.unavailable();
    }
  }

  private launch(): Promise<Browser> {
    this.checkExecutable();
    if (!this.browser) {
      const started = chromium.launch({ executablePath: this.config.CHROMIUM_PATH, args: ARGS });
      // A browser that did not start is not kept: the next PDF tries again.
      started.catch(() => (this.browser = null));
      started
        .then((browser) => browser.on('disconnected', () => (this.browser = null)))
        .catch(() => undefined);
      this.browser = started;
    }
    return this.browser.catch((error: unknown) => {
      this.logger.error(`Chromium startet nicht: ${String(error)}`);
      throw this.unavailable(error);
    });
  }

  private unavailable(cause?: unknown): DomainError {
    return new DomainError(
      'unavailable',
      ReportError.PDF_UNAVAILABLE,
      `PDF-Erzeugung nicht möglich: Chromium fehlt (apt-get install chromium oder CHROMIUM_PATH setzen; gesucht unter ${this.config.CHROMIUM_PATH}).`,
      {},
      cause === undefined ? undefined : { cause },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    const browser = this.browser;
    this.browser = null;
    if (!browser) return;
    // A browser still starting (or one that never answers) does not hold the shutdown up: playwright ends
    // the browsers it launched when the process exits.
    let timer: NodeJS.Timeout | undefined;
    const started = await Promise.race([
      browser.catch(() => null),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), SHUTDOWN_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    await started?.close().catch(() => undefined);
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
