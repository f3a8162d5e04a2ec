/** Reports from the terminal: a cycle's Umsetzungsbericht (workbook, PDF or DOCX), the Maßnahmenplan import and export. */
import { readFile, writeFile } from 'node:fs/promises';
import { Presets, SingleBar } from 'cli-progress';
import { PlanImportService } from '../../excel/plan-import.service.js';
import { ReportBuilderService, type ReportFormat } from '../../excel/report/report-builder.service.js';
import { ReportingCyclesService } from '../../reporting/reporting-cycles.service.js';
import { CLI_ACTOR, withApp } from '../app-context.js';
import { CliError } from '../errors.js';

export async function buildReport(options: {
  cycle: string;
  format?: ReportFormat;
  stats?: boolean;
}): Promise<void> {
  await withApp(async (app) => {
    const cycle = await app.get(ReportingCyclesService).findByCode(options.cycle);
    const bar = new SingleBar(
      { format: 'Bericht [{bar}] {percentage}% | {value}/{total} Maßnahmen' },
      Presets.shades_classic,
    );
    let barStarted = false;
    const t0 = performance.now();
    const { report, path } = await app.get(ReportBuilderService).generate(
      cycle.id,
      null,
      (done, total) => {
        if (!barStarted) {
          bar.start(total, 0);
          barStarted = true;
        }
        bar.update(done);
      },
      options.format ?? 'xlsx',
    );
    const seconds = (performance.now() - t0) / 1000;
    if (barStarted) bar.stop();
    console.log(
      `${path} (${report.measureCount} Maßnahmen${report.draft ? ', Entwurf' : ''}, SHA-256 ${report.sha256})`,
    );
    if (options.stats) {
      const maxRssMb = process.resourceUsage().maxRSS / 1024;
      console.log(JSON.stringify({ stats: { seconds, maxRssMb, rows: report.measureCount } }));
    }
  });
}

export async function importPlan(file: string, options: { dryRun?: boolean }): Promise<void> {
  const buffer = await readFile(file).catch(() => {
    throw new CliError(`${file} kann nicht gelesen werden`);
  });
  await withApp(async (app) => {
    const result = await app.get(PlanImportService).import(buffer, CLI_ACTOR, options.dryRun ?? false);
    for (const change of result.changes.filter((c) => c.action !== 'unchanged')) {
      console.log(
        `${change.action === 'create' ? 'neu     ' : 'geändert'} ${change.code}${change.fields.length ? ` (${change.fields.join(', ')})` : ''}`,
      );
    }
    console.log(
      `${options.dryRun ? 'Probelauf, nichts gespeichert: ' : ''}${result.created} neu, ${result.updated} geändert, ${result.unchanged} unverändert`,
    );
  });
}

export async function exportPlan(file: string): Promise<void> {
  await withApp(async (app) => {
    await writeFile(file, await app.get(PlanImportService).export());
    console.log(`Geschrieben: ${file}`);
  });
}
