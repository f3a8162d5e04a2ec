/**
 * `framework:load FILE`: a file whose plan (framework.code) the installation does not hold adds that plan; one
 * of a plan it holds revises that plan (Fortschreibung with a higher version, nothing with the same one).
 */
import { AppConfig } from '../../common/config/app-config.js';
import { FrameworkLoaderService } from '../../framework/framework-loader.service.js';
import { FrameworkService } from '../../framework/framework.service.js';
import { withApp } from '../app-context.js';

export async function loadFramework(file: string, options: { dryRun?: boolean } = {}): Promise<void> {
  await withApp(
    async (app) => {
      const config = app.get(AppConfig);
      const current = await app.get(FrameworkService).findCurrent();
      // A plan loaded by hand into a new installation is production data unless DEMO=true says otherwise:
      // example data belong to the shipped plans. A plan added to an installation shares its mode.
      const demoMode = current?.demoMode ?? config.DEMO === true;
      const result = await app
        .get(FrameworkLoaderService)
        .loadFile(file, { demoMode, dryRun: options.dryRun });
      const revision = result.revision;
      if (revision) {
        console.log(
          `${options.dryRun ? 'Probelauf, nichts gespeichert: würde' : 'Fortschreibung übernommen:'} Version ${revision.versionBefore} → ${revision.versionAfter}${options.dryRun ? ' übernehmen' : ` (Nr. ${revision.revisionId})`}`,
        );
        for (const line of revision.effects.lines) console.log(`  ${line}`);
        for (const m of revision.effects.measures) console.log(`  Maßnahme ${m.from} → ${m.to}`);
        for (const a of revision.effects.accounts) console.log(`  Konto ${a.email}: ${a.from} → ${a.to}`);
      }
      if (result.added) {
        console.log(
          `Plan „${result.framework.name}“ (${result.framework.code}) ${options.dryRun ? 'würde hinzugefügt (Probelauf, nichts gespeichert)' : 'hinzugefügt'}: ${result.created} Einträge neu`,
        );
        return;
      }
      console.log(
        `${result.framework.name}: ${result.created} neu, ${result.updated} aktualisiert${options.dryRun ? ' (Probelauf)' : ''}`,
      );
    },
    { hint: '; mit eigenem Rahmenkonzept: `db:init --framework DATEI`' },
  );
}
