/** `framework:load FILE`: the framework of a database without one, or a revision of the one it holds. */
import { resolve } from 'node:path';
import { AppConfig } from '../../common/config/app-config.js';
import { FrameworkLoaderService } from '../../framework/framework-loader.service.js';
import { FrameworkService } from '../../framework/framework.service.js';
import { withApp } from '../app-context.js';

export async function loadFramework(file: string, options: { dryRun?: boolean } = {}): Promise<void> {
  await withApp(
    async (app) => {
      const config = app.get(AppConfig);
      const current = await app.get(FrameworkService).findCurrent();
      // A framework loaded by hand is production data unless DEMO=true says otherwise: example data belong to
      // the shipped framework and would not fit another region's file.
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
      console.log(
        `${result.framework.name}: ${result.created} neu, ${result.updated} aktualisiert${options.dryRun ? ' (Probelauf)' : ''}`,
      );
      if (!current && resolve(file) !== resolve(config.FRAMEWORK_FILE)) {
        console.log(
          `Hinweis: den Server mit FRAMEWORK_FILE=${file} starten; mit ${config.FRAMEWORK_FILE} verweigert er den Start`,
        );
      }
    },
    { hint: '; mit eigenem Rahmenkonzept: `db:init --framework DATEI`' },
  );
}
