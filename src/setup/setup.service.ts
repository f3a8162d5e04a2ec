/**
 * What happens at start, after the migrations: load the framework file (idempotent), decide demo or
 * production mode, load example data and demo accounts in demo mode, create the first admin from settings.
 */
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig, ConfigurationError } from '../common/config/app-config.js';
import { passwordProblems } from '../auth/password-policy.js';
import { UsersService } from '../auth/users.service.js';
import { FrameworkLoaderService } from '../framework/framework-loader.service.js';
import { FrameworkService } from '../framework/framework.service.js';
import { ExampleDataService } from './example-data.service.js';
import { Department } from '../framework/department.entity.js';
import { DataSource } from 'typeorm';
import { User } from '../auth/user.entity.js';
import type { Role } from '../auth/user.entity.js';

export const DEMO_PASSWORD = 'demo1234';

/** The demo accounts of DESIGN.md (demo mode only). */
export const DEMO_ACCOUNTS: { email: string; displayName: string; role: Role; departmentCode?: string }[] = [
  { email: 'admin@demo.local', displayName: 'Koordinierungsstelle (Demo)', role: 'admin' },
  {
    email: 'soziales@demo.local',
    displayName: 'Ressort Soziales (Demo)',
    role: 'editor',
    departmentCode: 'ASJI',
  },
  {
    email: 'bildung@demo.local',
    displayName: 'Ressort Bildung (Demo)',
    role: 'editor',
    departmentCode: 'SKB',
  },
  { email: 'steuerung@demo.local', displayName: 'Steuerungsrunde (Demo)', role: 'viewer' },
];

@Injectable()
export class SetupService {
  private readonly logger = new Logger(SetupService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly frameworks: FrameworkService,
    private readonly loader: FrameworkLoaderService,
    private readonly examples: ExampleDataService,
    private readonly users: UsersService,
    private readonly dataSource: DataSource,
  ) {}

  async run(): Promise<{ demoMode: boolean }> {
    const existing = await this.frameworks.findCurrent();
    let demoMode: boolean;
    if (!existing) {
      demoMode = this.config.DEMO ?? this.config.NODE_ENV !== 'production';
    } else {
      if (this.config.DEMO === true && !existing.demoMode) {
        throw new ConfigurationError(
          'Ungültige Einstellung DEMO=true: diese Datenbank ist eine Produktivdatenbank, Beispieldaten werden nicht hineingemischt',
        );
      }
      demoMode = existing.demoMode && this.config.DEMO !== false;
    }
    await this.loader.loadFile(this.config.FRAMEWORK_FILE, { demoMode: existing?.demoMode ?? demoMode });
    if (demoMode) {
      await this.examples.load(this.config.EXAMPLE_DATA_FILE, this.config.EXAMPLE_DATA_DATE);
      await this.ensureDemoAccounts();
    }
    await this.ensureInitialAdmin(demoMode);
    return { demoMode };
  }

  private async ensureDemoAccounts(): Promise<void> {
    for (const account of DEMO_ACCOUNTS) {
      if (await this.dataSource.manager.existsBy(User, { email: account.email })) continue;
      const department = account.departmentCode
        ? await this.dataSource.manager.findOneByOrFail(Department, { code: account.departmentCode })
        : null;
      await this.users.create(
        {
          email: account.email,
          displayName: account.displayName,
          role: account.role,
          departmentId: department?.id ?? null,
          password: DEMO_PASSWORD,
        },
        { skipPasswordPolicy: true, isDemo: true },
      );
    }
  }

  private async ensureInitialAdmin(demoMode: boolean): Promise<void> {
    const admins = await this.dataSource.manager.countBy(User, { role: 'admin', active: true });
    if (admins > 0) return;
    const email = this.config.INITIAL_ADMIN_EMAIL;
    const password = this.config.INITIAL_ADMIN_PASSWORD;
    if (email && password) {
      const problems = passwordProblems(password, email);
      if (problems.length) {
        throw new ConfigurationError(
          `Ungültige Einstellung INITIAL_ADMIN_PASSWORD=***: ${problems.join('; ')}`,
        );
      }
      await this.users.create({
        email: email.toLowerCase(),
        displayName: 'Administration',
        role: 'admin',
        password,
      });
      this.logger.log(`Erstes Administrationskonto ${email} angelegt`);
    } else if (!demoMode) {
      this.logger.warn(
        'Es gibt noch kein Administrationskonto. Anlegen mit: npm run cli -- user:create --email … --role admin',
      );
    }
  }
}
