/**
 * The application's settings, read from the environment once and validated. Nothing else in the code reads
 * process.env: inject AppConfig (through ConfigService) instead.
 */
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { germanMessage } from '../http/validation.js';

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'ja'].includes(v)) return true;
  if (['false', '0', 'no', 'nein'].includes(v)) return false;
  return value;
};
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;

export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  @MinLength(1)
  DATABASE_PATH = 'data/rahmenkonzept.sqlite';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { context: { german: 'muss eine postgres://-Adresse sein' } })
  DATABASE_URL?: string;

  /**
   * How long a write waits for SQLite's write lock while another process (a second server, the command line)
   * holds it; after that the request is answered 503 with Retry-After.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  DATABASE_LOCK_TIMEOUT_MS = 10_000;

  /** Example data and demo accounts; when unset: on for an empty database, unless NODE_ENV=production. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  DEMO?: boolean;

  /** The framework files loaded at start: files or folders (every *.json in it), separated by commas. */
  @IsString()
  FRAMEWORK_FILE = 'data/frameworks';

  /** The example data of demo mode, each file naming its plan: files or folders, separated by commas. */
  @IsString()
  EXAMPLE_DATA_FILE = 'data/examples';

  /**
   * The day the example data is moved forward to (default: today). The tests fix it, so that the demo's cycle
   * states and report dates they build on do not change with the calendar.
   */
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { context: { german: 'muss ein Datum JJJJ-MM-TT sein' } })
  EXAMPLE_DATA_DATE?: string;

  /** Where generated secrets are kept when AUTH_SECRET is not given. */
  @IsString()
  SECRETS_FILE = 'data/secrets.json';

  @IsOptional()
  @IsString()
  @MinLength(32)
  AUTH_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  TOKEN_TTL_MINUTES = 8 * 60;

  @Transform(toInt)
  @IsInt()
  @Min(4)
  @Max(15)
  PASSWORD_HASH_ROUNDS = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  LOGIN_MAX_FAILURES_PER_MINUTE = 5;

  /** Requests per minute and address to the open data under /api/public. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  PUBLIC_REQUESTS_PER_MINUTE = 300;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  UPLOAD_LIMIT_MB = 10;

  /** What an uploaded workbook may unpack to in all; checked from the archive's directory before parsing. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(2000)
  UPLOAD_MAX_UNPACKED_MB = 100;

  /** What one part of an uploaded workbook (a sheet, the shared texts) may unpack to. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(2000)
  UPLOAD_MAX_ENTRY_MB = 64;

  /** Unpacked ÷ packed size of a part above 1 MB: ordinary workbooks stay far below, archive bombs far above. */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(100000)
  UPLOAD_MAX_COMPRESSION_RATIO = 200;

  /** Rows of one sheet of an uploaded workbook (header and hidden rows included), refused before parsing. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(1048576)
  UPLOAD_MAX_ROWS = 10000;

  /** Cells of all sheets of an uploaded workbook together, refused before parsing. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(100000000)
  UPLOAD_MAX_CELLS = 250000;

  @IsOptional()
  @IsEmail()
  INITIAL_ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  INITIAL_ADMIN_PASSWORD?: string;

  /** Where generated Umsetzungsberichte are written. */
  @IsString()
  @MinLength(1)
  REPORTS_DIR = 'reports';

  /** The Chromium that prints the Umsetzungsbericht as PDF (Debian: apt-get install chromium). */
  @IsString()
  @MinLength(1)
  CHROMIUM_PATH = '/usr/bin/chromium';

  /** The address people use to reach this installation (links in mails, the sign-in return address). */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { context: { german: 'muss eine http(s)://-Adresse sein' } })
  APP_BASE_URL?: string;

  /** Mail server, e.g. smtp://user:pass@mail.example.org:587; without it no mail is sent. */
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { context: { german: 'muss eine smtp://- oder smtps://-Adresse sein' } })
  SMTP_URL?: string;

  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Rahmenkonzept-Monitor <noreply@localhost>';

  /** Minutes between two runs of the reminder job; 0 switches the job off (notify:run still works). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(24 * 60)
  NOTIFY_INTERVAL_MINUTES = 15;

  /** Days before a cycle's input deadline on which editors are reminded. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(120)
  NOTIFY_DAYS_BEFORE_DEADLINE = 14;

  /** Single sign-on (OpenID Connect): the provider's issuer URL and this application's client there. */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { context: { german: 'muss eine http(s)://-Adresse sein' } })
  OIDC_ISSUER?: string;

  @IsOptional()
  @IsString()
  OIDC_CLIENT_ID?: string;

  @IsOptional()
  @IsString()
  OIDC_CLIENT_SECRET?: string;

  /** The claim whose value is compared with the accounts' e-mail addresses. */
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]+$/, { context: { german: 'muss ein Claim-Name sein' } })
  OIDC_MATCH_CLAIM = 'email';

  @IsString()
  OIDC_SCOPES = 'openid email profile';

  /** Plain http to the provider (for a provider on this machine only; never in production). */
  @Transform(toBoolean)
  @IsBoolean()
  OIDC_ALLOW_HTTP = false;

  /** `off`: sign-in with a password only for the break-glass account; everyone else uses single sign-on. */
  @IsIn(['on', 'off'])
  LOCAL_LOGIN: 'on' | 'off' = 'on';

  @IsOptional()
  @IsEmail()
  LOCAL_LOGIN_BREAK_GLASS?: string;

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  /** `json`: one JSON object per line, for a log collector; `pretty`: readable lines. Default: json in production. */
  @IsOptional()
  @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty';

  /** Prometheus metrics on a port of their own (not behind the proxy); unset: no metrics served. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  METRICS_PORT?: number;

  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  METRICS_TOKEN?: string;

  /**
   * Which proxies' X-Forwarded-For is believed (Express's `trust proxy`): `loopback` for a proxy on the same
   * machine; behind a proxy in a container network e.g. `uniquelocal` (10/8, 172.16/12, 192.168/16) or its
   * address. Sign-in limits and the audit trail count the client's address, not the proxy's.
   */
  @IsString()
  @Matches(/^[\w.:/, -]+$/, {
    context: { german: 'muss loopback, uniquelocal oder eine Liste von Adressen sein' },
  })
  TRUST_PROXY = 'loopback';

  /** How long SIGTERM waits for requests in flight before it closes their connections. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  /**
   * Long work runs as a job that one instance takes up (src/jobs/): from the pages, a report of a cycle with at
   * least this many measures, and a Maßnahmenplan file of at least JOB_IMPORT_MIN_BYTES. 0: always a job.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  JOB_REPORT_MIN_MEASURES = 2_000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  JOB_IMPORT_MIN_BYTES = 1_048_576;

  /** How often an idle instance looks for queued jobs. */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(600_000)
  JOB_POLL_MS = 1_000;

  /**
   * How long a job stays with the instance that took it without a sign of life (renewed every third of it):
   * after an instance died, another takes its job up once the lease has run out.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  JOB_LEASE_MS = 30_000;

  /** How often a job is taken up before it counts as failed (an instance died each time). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10)
  JOB_MAX_ATTEMPTS = 3;
}

/** Thrown for a bad setting; its message is one line naming the setting. */
export class ConfigurationError extends Error {}

export function validateConfig(env: Record<string, unknown>): AppConfig {
  const known = Object.keys(new AppConfig()).concat([
    'DATABASE_URL',
    'EXAMPLE_DATA_DATE',
    'DEMO',
    'AUTH_SECRET',
    'INITIAL_ADMIN_EMAIL',
    'INITIAL_ADMIN_PASSWORD',
    'APP_BASE_URL',
    'SMTP_URL',
    'OIDC_ISSUER',
    'OIDC_CLIENT_ID',
    'OIDC_CLIENT_SECRET',
    'LOCAL_LOGIN_BREAK_GLASS',
    'LOG_FORMAT',
    'METRICS_PORT',
    'METRICS_TOKEN',
  ]);
  // Empty strings count as "not set", so that `DEMO= npm start` behaves like no DEMO at all.
  const relevant: Record<string, unknown> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const config = plainToInstance(AppConfig, relevant);
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    const first = errors[0];
    const constraints = Object.entries(first.constraints ?? {});
    const typeChecks = ['isInt', 'isBoolean', 'isIn', 'isEmail', 'matches', 'isString'];
    const [name, text] = constraints.find(([n]) => typeChecks.includes(n)) ??
      constraints[0] ?? ['', 'ist ungültig'];
    const german = (first.contexts?.[name] as { german?: string } | undefined)?.german;
    const problem = german ?? germanMessage(name, text);
    const shown: unknown = /SECRET|PASSWORD|METRICS_TOKEN|DATABASE_URL|SMTP_URL/.test(first.property)
      ? '***'
      : first.value;
    throw new ConfigurationError(
      `Ungültige Einstellung ${first.property}=${String(shown)}: ${problem.replace(first.property + ' ', '')}`,
    );
  }
  if (config.INITIAL_ADMIN_PASSWORD && !config.INITIAL_ADMIN_EMAIL) {
    throw new ConfigurationError(
      'Ungültige Einstellung INITIAL_ADMIN_EMAIL: fehlt, INITIAL_ADMIN_PASSWORD ist gesetzt',
    );
  }
  if (config.OIDC_ISSUER && !config.OIDC_CLIENT_ID) {
    throw new ConfigurationError('Ungültige Einstellung OIDC_CLIENT_ID: fehlt, OIDC_ISSUER ist gesetzt');
  }
  if (config.OIDC_ISSUER && !config.APP_BASE_URL) {
    // The return address that the provider knows for this client is built from it.
    throw new ConfigurationError('Ungültige Einstellung APP_BASE_URL: fehlt, OIDC_ISSUER ist gesetzt');
  }
  if (config.OIDC_ALLOW_HTTP && config.NODE_ENV === 'production') {
    throw new ConfigurationError(
      'Ungültige Einstellung OIDC_ALLOW_HTTP=true: in der Produktion (NODE_ENV=production) nicht erlaubt',
    );
  }
  if (config.LOCAL_LOGIN === 'off' && !config.OIDC_ISSUER) {
    throw new ConfigurationError(
      'Ungültige Einstellung LOCAL_LOGIN=off: ohne OIDC_ISSUER könnte sich niemand anmelden',
    );
  }
  config.LOG_FORMAT ??= config.NODE_ENV === 'production' ? 'json' : 'pretty';
  return config;
}

/** The only read of the process environment. */
export function loadConfigFromEnvironment(): AppConfig {
  return validateConfig(process.env);
}
