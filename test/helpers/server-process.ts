/**
 * The application as a real process (`node dist/main.js`), for the tests that need more than one process on
 * one database, a process to kill, or a process whose memory and exit code count. Builds first when the
 * build is missing or older than the sources.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ensureBuild } from '../../bin/ensure-build.js';

export const SERVER_ENTRY = 'dist/main.js';

/** Builds the application unless dist/ is at least as new as every source file (bin/ensure-build.js). */
export function ensureBuilt(): void {
  const failure = ensureBuild();
  if (failure) throw new Error(failure);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The Bremen plan alone (its framework file and example data): the suites were written for an installation of
 * one plan; a suite about several plans names its files itself.
 */
export const ONE_PLAN = {
  FRAMEWORK_FILE: 'data/frameworks/bremen-2021.json',
  EXAMPLE_DATA_FILE: 'data/examples/bremen-beispieldaten.json',
} as const;

/** The settings every test process gets; a test adds DATABASE_PATH and whatever it examines. */
export function baseEnvironment(directory: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    ...ONE_PLAN,
    NODE_ENV: 'test',
    DEMO: 'true',
    PASSWORD_HASH_ROUNDS: '4',
    AUTH_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
    SECRETS_FILE: join(directory, 'secrets.json'),
    REPORTS_DIR: join(directory, 'reports'),
    LOG_LEVEL: 'warn',
  };
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Starts `node dist/main.js`; resolves when /api/health/live answers, rejects when the process ends first. */
export async function startServer(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  let ended = false;
  void exited.then(() => (ended = true));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (ended) throw new Error(`Server ended before it was ready:\n${output}`);
    try {
      const response = await fetch(`${url}/api/health/live`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Server not ready within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    output: () => output,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (!ended) child.kill(signal);
      return exited;
    },
  };
}

/** Signs in through the API and returns the bearer token. */
export async function signIn(url: string, email: string, password = 'demo1234'): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`login ${email}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}
