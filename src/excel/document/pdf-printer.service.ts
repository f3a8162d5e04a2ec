/**
 * Prints HTML to PDF with the real Chromium (playwright-core): tagged (structure tree, language), with a
 * document outline from the headings, A4. One browser per process, started as soon as the first PDF is asked
 * for (while its data is still being read, a page is opened too) and closed when the application shuts down;
 * one PDF at a time (a queue), so that a burst of requests does not open many pages of a large report at once.
 * Without a Chromium at CHROMIUM_PATH the request is refused with a German 503 that says what to install.
 *
 * What makes a large report print fast (10,000 measures, 276 pages; Chromium's part went from 7–9 s to about
 * 1.8 s, the whole PDF from 7.5× the workbook's time to 2.3–2.5×):
 * - A tagged PDF costs per element and per text node (about 0.1 ms each, for the accessibility tree, the
 *   structure tree and the marked content). The measures of a field are therefore one paragraph with a line
 *   per measure, not a table of 10,000 rows of seven nodes each (see the template): print 6–7 s → 1.2–1.5 s
 *   (untagged, the table printed in 3–4 s: most of the difference was tagging).
 * - The footer is the page's own margin boxes (@page in the template), not a footer template, which Chromium
 *   lays out as a document of its own on every page: 0.6 s less.
 * - The long lists are set at 7.5pt, a whole number of CSS pixels: 8pt put per-glyph offsets into the PDF
 *   (twice the bytes, 0.5 s longer).
 * - The page is laid out for print from the start (print media, a viewport as wide as the printed column), and
 *   the long lists are content-visibility: auto, so that loading the HTML does not lay out what printing lays
 *   out again (setContent 0.8 s → 0.35 s); and the document must fit the page width (see the template), or
 *   Chromium lays the whole document out a second time, scaled down.
 * - The page (a renderer process, about 0.2 s) is opened while the data is being read.
 */
import { accessSync, constants } from 'node:fs';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { AppConfig } from '../../common/config/app-config.js';
import { DomainError } from '../../common/http/domain-errors.js';
import { ReportError } from '../report-errors.js';

/** As the template's @page rule (which takes precedence). */
const PAGE = {
  format: 'A4',
  margin: { top: '18mm', bottom: '18mm', left: '14mm', right: '14mm' },
} as const;
/** A4's width less the side margins, in CSS pixels: 210 mm - 2 × 14 mm = 182 mm. */
const PRINT_WIDTH = Math.round((182 / 25.4) * 96);

/** How long a shutdown waits for a browser that is still starting. */
const SHUTDOWN_WAIT_MS = 2_000;

interface PrintPage {
  context: BrowserContext;
  page: Page;
}

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
  /** A page opened ahead (its renderer started) while the next document's data is still being read. */
  private spare: Promise<PrintPage> | null = null;

  constructor(private readonly config: AppConfig) {}

  /**
   * Refuses at once (503) when there is no Chromium to print with; otherwise starts the browser and opens a
   * page in the background, so that both are ready when the document's HTML is.
   */
  ensureAvailable(): void {
    this.checkExecutable();
    if (this.spare) return;
    this.spare = this.openPage();
    // A failed start is logged by launch() and reported by the print that waits for it.
    this.spare.catch(() => undefined);
  }

  /** The HTML printed to PDF; `title` goes into the PDF's properties (from the page's <title>). */
  print(html: string, title: string): Promise<Buffer> {
    const job = this.queue.then(() => this.printNow(html, title));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private async printNow(html: string, title: string): Promise<Buffer> {
    const { context, page } = await this.takePage();
    try {
      const started = performance.now();
      await page.setContent(html, { waitUntil: 'load', timeout: 120_000 });
      const loaded = performance.now();
      // Tagged (structure tree, language, outline from the headings); the footer comes from the page's own
      // margin boxes (@page in the template), the margins and paper from there too.
      const pdf = await page.pdf({ ...PAGE, printBackground: true, tagged: true, outline: true });
      this.logger.debug(
        `${title}: HTML geladen in ${Math.round(loaded - started)} ms, gedruckt in ${Math.round(performance.now() - loaded)} ms (${pdf.length} Bytes)`,
      );
      return pdf;
    } finally {
      await context.close().catch(() => undefined);
    }
  }

  /** The page opened ahead, if it is still usable; else a new one. */
  private async takePage(): Promise<PrintPage> {
    const spare = this.spare;
    this.spare = null;
    const ready = await spare?.catch(() => null);
    if (ready && !ready.page.isClosed() && ready.context.browser()?.isConnected()) return ready;
    if (ready) await ready.context.close().catch(() => undefined);
    return this.openPage();
  }

  /**
   * A page laid out for print from the start: print media and a viewport as wide as the printed column.
   * Nothing is loaded from elsewhere: the document brings its styles and charts inline.
   */
  private async openPage(): Promise<PrintPage> {
    const browser = await this.launch();
    const context = await browser.newContext({
      javaScriptEnabled: false,
      offline: true,
      viewport: { width: PRINT_WIDTH, height: 1000 },
    });
    try {
      const page = await context.newPage();
      await page.emulateMedia({ media: 'print' });
      await page.route('**/*', (route) => route.abort());
      return { context, page };
    } catch (error) {
      await context.close().catch(() => undefined);
      throw error;
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
    this.spare = null;
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
