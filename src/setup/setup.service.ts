/**
 * What happens at start, after the migrations: load every framework file of FRAMEWORK_FILE (idempotent; a new
 * plan is added, a known one revised), decide demo or production mode, load each plan's example data and the
 * demo accounts in demo mode, create the first admin from settings.
 */
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig, ConfigurationError } from '../common/config/app-config.js';
import { passwordProblems } from '../auth/password-policy.js';
import { UsersService } from '../auth/users.service.js';
import { FrameworkLoaderService } from '../framework/framework-loader.service.js';
import { FrameworkService } from '../framework/framework.service.js';
import { ExampleDataService } from './example-data.service.js';
import { configuredFiles } from './configured-files.js';
import { RequestContext } from '../common/context/request-context.js';
import { Framework } from '../framework/framework.entity.js';
import { Department } from '../framework/department.entity.js';
import { DataSource } from 'typeorm';
import { User } from '../auth/user.entity.js';
import type { Role } from '../auth/user.entity.js';

export const DEMO_PASSWORD = 'demo1234';

const BREMEN = 'bremen-rk-2021';

/**
 * The demo accounts of DESIGN.md (the Bremen plan's) and one for each other shipped plan (demo mode only). An
 * account of a plan is created when its plan is loaded; one without a plan always.
 */
export const DEMO_ACCOUNTS: {
  email: string;
  displayName: string;
  role: Role;
  departmentCode?: string;
  planCode?: string;
}[] = [
  { email: 'admin@demo.local', displayName: 'Koordinierungsstelle (Demo)', role: 'admin' },
  {
    email: 'soziales@demo.local',
    displayName: 'Ressort Soziales (Demo)',
    role: 'editor',
    departmentCode: 'ASJI',
    planCode: BREMEN,
  },
  {
    email: 'bildung@demo.local',
    displayName: 'Ressort Bildung (Demo)',
    role: 'editor',
    departmentCode: 'SKB',
    planCode: BREMEN,
  },
  { email: 'steuerung@demo.local', displayName: 'Steuerungsrunde (Demo)', role: 'viewer', planCode: BREMEN },
  {
    email: 'regiopol@demo.local',
    displayName: 'Partnerkommune Bielefeld (Demo)',
    role: 'editor',
    departmentCode: 'BI',
    planCode: 'regiopolregion-bielefeld',
  },
  {
    email: 'nordwest@demo.local',
    displayName: 'Metropolregion Nordwest (Demo)',
    role: 'viewer',
    planCode: 'metropolregion-nordwest',
  },
  {
    email: 'spk@demo.local',
    displayName: 'Regionalkoordination Schöneberg Nord (Demo)',
    role: 'editor',
    departmentCode: 'SPK-RK-SN',
    planCode: 'tempelhof-schoeneberg-spk',
  },
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
    const files = await configuredFiles(this.config.FRAMEWORK_FILE);
    if (files.length === 0) {
      throw new ConfigurationError(
        `Ungültige Einstellung FRAMEWORK_FILE=${this.config.FRAMEWORK_FILE}: keine Rahmenkonzept-Datei (*.json) gefunden`,
      );
    }
    for (const file of files) await this.loader.loadFile(file, { demoMode: existing?.demoMode ?? demoMode });
    if (demoMode) {
      // Each example data file goes into the plan it names; one of a plan not loaded here is left out.
      for (const file of await configuredFiles(this.config.EXAMPLE_DATA_FILE))
        await this.examples.load(file, this.config.EXAMPLE_DATA_DATE, { skipUnknownPlan: true });
      await this.ensureDemoAccounts();
    }
    await this.ensureInitialAdmin(demoMode);
    return { demoMode };
  }

  private async ensureDemoAccounts(): Promise<void> {
    const manager = this.dataSource.manager;
    const [first] = await manager.find(Framework, { order: { id: 'ASC' }, take: 1 });
    for (const account of DEMO_ACCOUNTS) {
      if (await manager.existsBy(User, { email: account.email })) continue;
      const plan = account.planCode ? await manager.findOneBy(Framework, { code: account.planCode }) : first;
      if (!plan) continue;
      const department = account.departmentCode
        ? await manager.findOneByOrFail(Department, { code: account.departmentCode })
        : null;
      // The account's rights are in its plan: the request's plan while it is created.
      const parent = RequestContext.current() ?? { requestId: '', ipAddress: '' };
      await RequestContext.run({ ...parent, planId: plan.id }, () =>
        this.users.create(
          {
            email: account.email,
            displayName: account.displayName,
            role: account.role,
            departmentId: department?.id ?? null,
            password: DEMO_PASSWORD,
          },
          { skipPasswordPolicy: true, isDemo: true },
        ),
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
