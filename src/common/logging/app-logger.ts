/**
 * The application's one logger: pino underneath, Nest's LoggerService on top, so that `new Logger('Kontext')`
 * everywhere writes through it. Every line carries the request id of the request it belongs to (from the
 * request context), keys are English, the German text stays in the message. LOG_FORMAT=json writes one JSON
 * object per line (for a log collector); `pretty` writes the same record as a readable line.
 */
import type { LoggerService } from '@nestjs/common';
import { type DestinationStream, type Logger as PinoLogger, type LevelWithSilent, pino } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { RequestContext } from '../context/request-context.js';

/** Nest's level names (LOG_LEVEL) → pino's. */
const PINO_LEVELS: Record<AppConfig['LOG_LEVEL'], LevelWithSilent> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * Never written: credentials and session cookies, at the top of a record and one level down (`*.password`
 * covers `body.password`, `user.password`; `*.headers.cookie` covers `req.headers.cookie`). The access log
 * does not log headers at all; this is the net under anything that passes a request or a body to the logger.
 */
const SECRET_KEYS = ['password', 'token', 'accessToken', 'refreshToken'];
const SECRET_HEADERS = ['authorization', 'cookie', '["set-cookie"]'];
export const REDACTED_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  ...SECRET_HEADERS.map((header) => `headers${header.startsWith('[') ? '' : '.'}${header}`),
  ...SECRET_HEADERS.map((header) => `*.headers${header.startsWith('[') ? '' : '.'}${header}`),
];

export type LogSettings = Pick<AppConfig, 'LOG_LEVEL' | 'LOG_FORMAT'>;

export function createPinoLogger(settings: LogSettings, destination?: DestinationStream): PinoLogger {
  return pino(
    {
      level: PINO_LEVELS[settings.LOG_LEVEL],
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    // Synchronous: a line written just before process.exit (a failed start, the end of a shutdown) is not lost.
    destination ??
      (settings.LOG_FORMAT === 'json' ? pino.destination({ dest: 1, sync: true }) : prettyDestination()),
  );
}

const LEVEL_LABELS: Record<string, string> = {
  fatal: 'FATAL',
  error: 'ERROR',
  warn: 'WARN ',
  info: 'INFO ',
  debug: 'DEBUG',
  trace: 'TRACE',
};

/** `08:15:02.123 INFO  [Kontext] Nachricht key=value …`; errors to stderr, the rest to stdout. */
export function formatPretty(line: string): { text: string; error: boolean } {
  const record = JSON.parse(line) as Record<string, unknown>;
  const show = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
  const { time, level, context, msg, stack } = record;
  const extras = Object.entries(record)
    .filter(([key]) => !['time', 'level', 'context', 'msg', 'stack', 'pid', 'hostname'].includes(key))
    .map(([key, value]) => `${key}=${show(value)}`)
    .join(' ');
  const clock = typeof time === 'string' ? time.slice(11, 23) : '';
  const label = typeof level === 'string' ? (LEVEL_LABELS[level] ?? level) : show(level);
  const head = `${clock} ${label} ${context === undefined ? '' : `[${show(context)}] `}`;
  return {
    text: `${head}${msg === undefined ? '' : show(msg)}${extras ? ` ${extras}` : ''}${typeof stack === 'string' ? `\n${stack}` : ''}\n`,
    error: level === 'error' || level === 'fatal',
  };
}

function prettyDestination(): DestinationStream {
  return {
    write(line: string): void {
      const { text, error } = formatPretty(line);
      (error ? process.stderr : process.stdout).write(text);
    },
  };
}

/** Nest's LoggerService over pino: `(message, ...params, context)` as Nest's own ConsoleLogger reads them. */
export class AppLogger implements LoggerService {
  constructor(readonly pino: PinoLogger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    // Nest passes (message, stack, context); an Error passes its own stack.
    const [context, rest] = splitContext(params);
    const stack =
      message instanceof Error ? message.stack : typeof rest[0] === 'string' ? rest[0] : undefined;
    this.pino.error(this.fields(context, stack ? { stack } : {}), text(message));
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(
    level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal',
    message: unknown,
    params: unknown[],
  ): void {
    const [context] = splitContext(params);
    this.pino[level](this.fields(context, {}), text(message));
  }

  private fields(context: string | undefined, extra: Record<string, unknown>): Record<string, unknown> {
    const requestId = RequestContext.current()?.requestId;
    return { ...(context ? { context } : {}), ...(requestId ? { requestId } : {}), ...extra };
  }
}

/** Nest appends the context as the last string parameter. */
function splitContext(params: unknown[]): [string | undefined, unknown[]] {
  const last = params.at(-1);
  return typeof last === 'string' && params.length > 0 ? [last, params.slice(0, -1)] : [undefined, params];
}

function text(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message instanceof Error) return message.message;
  try {
    return JSON.stringify(message);
  } catch {
    return String(message);
  }
}
