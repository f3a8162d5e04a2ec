/**
 * Operations as the data centre meets them, on the built application as a process: JSON log lines with the
 * request id and an access line and no secrets; SIGTERM that answers the request in flight, refuses new
 * connections and exits 0 (or gives up on a stuck request after SHUTDOWN_TIMEOUT_MS); readiness 503 when the
 * PostgreSQL server goes away while liveness stays 200.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnvironment, ensureBuilt, signIn, startServer } from './helpers/server-process.js';

interface EmbeddedPostgresModule {
  startEmbeddedPostgres(options: { label?: string }): Promise<{ url: string; stop(): Promise<void> }>;
}

/** Resolves true when a new TCP connection to the port is refused. */
function refused(url: string): Promise<boolean> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/**
 * A sign-in whose body arrives in two parts: the server holds the request open between them, so it is in
 * flight for exactly as long as the test wants, without any test-only route in the application.
 */
function slowSignIn(url: string): {
  request: ClientRequest;
  finish(): void;
  response: Promise<{ status: number; body: string }>;
} {
  const body = JSON.stringify({ email: 'admin@demo.local', password: 'demo1234' });
  const half = Math.floor(body.length / 2);
  const request = httpRequest(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('response', (res: IncomingMessage) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    request.on('error', reject);
  });
  request.write(body.slice(0, half));
  request.flushHeaders();
  return { request, finish: () => request.end(body.slice(half)), response };
}

describe('operations of the running process', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'rkm-operations-'));
    env = { ...baseEnvironment(dir), DATABASE_PATH: join(dir, 'operations.test.sqlite') };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one JSON object per line, an access line per request with its request id, and no secrets', async () => {
    const server = await startServer({ ...env, LOG_FORMAT: 'json', LOG_LEVEL: 'log' });
    try {
      const token = await signIn(server.url, 'admin@demo.local');
      const res = await fetch(`${server.url}/api/measures?pageSize=1`, {
        headers: {
          authorization: `Bearer ${token}`,
          cookie: 'rkm_session=cookie-value-that-must-not-be-logged',
          'x-request-id': 'trace-0001-abcdef',
        },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toBe('trace-0001-abcdef');
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '');
    const records = lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
    for (const record of records) {
      expect(record).toEqual(
        expect.objectContaining({
          level: expect.any(String),
          time: expect.any(String),
          msg: expect.any(String),
        }),
      );
      // English keys only: the German text lives in the messages.
      for (const key of Object.keys(record)) expect(key).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
    }
    const ready = records.find((record) => /^Bereit auf /.test(String(record.msg)));
    expect(ready).toMatchObject({ level: 'info', context: 'Rahmenkonzept-Monitor' });

    const ofRequest = records.filter((record) => record.requestId === 'trace-0001-abcdef');
    expect(ofRequest).toContainEqual(
      expect.objectContaining({
        msg: 'request completed',
        method: 'GET',
        route: '/api/measures',
        path: '/api/measures',
        status: 200,
        durationMs: expect.any(Number),
      }),
    );
    const signInLine = records.find(
      (record) => record.msg === 'request completed' && record.route === '/api/auth/login',
    );
    expect(signInLine).toMatchObject({
      method: 'POST',
      status: 200,
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });

    const all = lines.join('\n');
    expect(all).not.toContain('demo1234');
    expect(all).not.toContain('cookie-value-that-must-not-be-logged');
    expect(all).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no JWT
  }, 90_000);

  it('on SIGTERM answers the request in flight, refuses new connections and exits with 0', async () => {
    const server = await startServer({ ...env, SHUTDOWN_TIMEOUT_MS: '20000' });
    const slow = slowSignIn(server.url);
    // The first half of the body has reached the server once the request is seen in flight.
    await new Promise((resolve) => setTimeout(resolve, 300));
    server.child.kill('SIGTERM');
    expect(await eventually(() => refused(server.url))).toBe(true);
    slow.finish();
    const answer = await slow.response;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({
      accessToken: expect.any(String),
      user: { role: 'admin' },
    });
    expect(await server.exited).toBe(0);
  }, 90_000);

  it('gives up on a request that does not finish within SHUTDOWN_TIMEOUT_MS and still exits with 0', async () => {
    const server = await startServer({ ...env, SHUTDOWN_TIMEOUT_MS: '1000' });
    const stuck = slowSignIn(server.url);
    const outcome = stuck.response.then(
      () => 'answered',
      () => 'cut off',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    server.child.kill('SIGTERM');
    // Never finished by the client: after the timeout the server closes the connection and ends.
    expect(await server.exited).toBe(0);
    expect(await outcome).toBe('cut off');
  }, 90_000);

  it('readiness is 503 while the PostgreSQL server is gone; liveness stays 200 and the process lives', async () => {
    const module = (await import(
      new URL('../src/database/embedded-postgres.mjs', import.meta.url).href
    )) as EmbeddedPostgresModule;
    const postgres = await module.startEmbeddedPostgres({ label: 'readiness' });
    let server: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      server = await startServer({ ...env, DATABASE_URL: postgres.url });
      const up = await fetch(`${server.url}/api/health`);
      expect(up.status).toBe(200);

      await postgres.stop();
      const url = server.url;
      expect(await eventually(async () => (await fetch(`${url}/api/health`)).status === 503, 20_000)).toBe(
        true,
      );
      const down = await fetch(`${url}/api/health`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({
        code: 'DATABASE_UNAVAILABLE',
        message: 'Die Datenbank ist nicht erreichbar.',
        database: { state: 'down' },
      });
      expect((await fetch(`${url}/api/health/live`)).status).toBe(200);
    } finally {
      await server?.stop('SIGKILL');
      await postgres.stop().catch(() => undefined);
    }
  }, 120_000);
});
