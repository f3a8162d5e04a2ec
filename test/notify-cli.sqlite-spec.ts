/**
 * `notify:run` as an operator uses it: real processes on one SQLite file. Two processes started at the same
 * time send each mail once (the job's lease and the notification log), `--dry-run` only lists.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MailServer, startMailServer } from './helpers/mail-server.js';
import { ONE_PLAN } from './helpers/server-process.js';

const CLI = 'dist/cli/main.js';
const LAUNCHER = 'bin/rahmenkonzept.js';

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('close', (status) => resolve({ status, out }));
  });
}

describe('notify:run on the command line', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let smtp: MailServer;

  beforeAll(async () => {
    // The installed command builds dist/ when it is missing or older than src/.
    const launched = spawnSync(process.execPath, [LAUNCHER, '--help'], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (launched.status !== 0) throw new Error(`${LAUNCHER} --help: ${launched.stderr}`);
    smtp = await startMailServer();
    dir = mkdtempSync(join(tmpdir(), 'rkm-notify-test-'));
    env = {
      PATH: process.env.PATH,
      ...ONE_PLAN,
      DATABASE_PATH: join(dir, 'notify.test.sqlite'),
      SECRETS_FILE: join(dir, 'secrets.json'),
      DEMO: 'true',
      NODE_ENV: 'test',
      PASSWORD_HASH_ROUNDS: '4',
      LOG_LEVEL: 'error',
      APP_BASE_URL: 'https://monitor.example.test',
    };
    const init = await run(['db:init'], env);
    if (init.status !== 0) throw new Error(`db:init: ${init.out}`);
  }, 300_000);
  afterAll(async () => {
    await smtp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists without sending on --dry-run, and says when mail is not set up', async () => {
    const dry = await run(['notify:run', '--dry-run'], env);
    expect(dry.status).toBe(0);
    expect(dry.out).toContain('E-Mail-Versand ist nicht eingerichtet');
    expect(dry.out).toMatch(/soziales@demo\.local: Berichtszyklus .*: Erfassung geöffnet/);
    const refused = await run(['notify:run'], env);
    expect(refused.status).toBe(1);
    expect(refused.out).toContain('E-Mail-Versand ist nicht eingerichtet');
    expect(smtp.mails).toEqual([]);
  });

  it('two processes started together send each mail once', async () => {
    const withMail = { ...env, SMTP_URL: smtp.url };
    const results = await Promise.all([run(['notify:run'], withMail), run(['notify:run'], withMail)]);
    // Each either did the work or found the other one at it.
    for (const result of results)
      expect(result.out).toMatch(/Versendet: \d+|Keine neuen|andere Instanz verschickt gerade/);
    expect(smtp.mails.length).toBeGreaterThan(0);
    const keys = smtp.mails.map((m) => `${m.to.join(',')}|${m.subject}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(smtp.to('soziales@demo.local').filter((m) => /Erfassung geöffnet/.test(m.subject))).toHaveLength(
      1,
    );
    // A third run finds everything in the log.
    const again = await run(['notify:run'], withMail);
    expect(again.status).toBe(0);
    expect(again.out).toContain('Keine neuen Benachrichtigungen');
    expect(smtp.mails.length).toBe(keys.length);
  });
});
