import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { RequestContext } from '../context/request-context.js';
import { accessLogMiddleware } from './access-log.js';
import { AppLogger, createPinoLogger, formatPretty, type LogSettings } from './app-logger.js';

/** A logger that writes its lines into an array instead of stdout. */
function capture(settings: LogSettings): { logger: AppLogger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = {
    write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
  };
  return { logger: new AppLogger(createPinoLogger(settings, destination)), lines };
}

describe('AppLogger', () => {
  it('writes the request id of the request it runs in, the context, and the level by name', () => {
    const { logger, lines } = capture({ LOG_LEVEL: 'log', LOG_FORMAT: 'json' });
    RequestContext.run({ requestId: 'req-12345678', ipAddress: '127.0.0.1' }, () =>
      logger.warn('Versand fehlgeschlagen', 'Benachrichtigungen'),
    );
    logger.log('Bereit', 'Rahmenkonzept-Monitor');
    expect(lines[0]).toMatchObject({
      level: 'warn',
      context: 'Benachrichtigungen',
      requestId: 'req-12345678',
      msg: 'Versand fehlgeschlagen',
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(lines[1]).toMatchObject({ level: 'info', context: 'Rahmenkonzept-Monitor', msg: 'Bereit' });
    expect(lines[1]).not.toHaveProperty('requestId');
  });

  it('keeps the stack of an error and leaves out what LOG_LEVEL does not want', () => {
    const { logger, lines } = capture({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' });
    logger.log('nicht geschrieben', 'X');
    logger.debug('auch nicht', 'X');
    logger.error('Lauf fehlgeschlagen', 'Error: kaputt\n    at somewhere', 'Benachrichtigungen');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'error',
      context: 'Benachrichtigungen',
      msg: 'Lauf fehlgeschlagen',
      stack: expect.stringContaining('kaputt'),
    });
  });

  it('never writes passwords, tokens or the authorization and cookie headers', () => {
    const { logger, lines } = capture({ LOG_LEVEL: 'log', LOG_FORMAT: 'json' });
    logger.pino.info(
      {
        password: 'demo1234',
        accessToken: 'eyJhbGciOi.secret.part',
        req: { headers: { authorization: 'Bearer eyJ.x.y', cookie: 'rkm_session=abc' } },
      },
      'request',
    );
    const text = JSON.stringify(lines);
    for (const secret of ['demo1234', 'eyJhbGciOi', 'Bearer eyJ', 'rkm_session=abc'])
      expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ password: '[redacted]' });
  });

  it('redacts credentials one level down as well: in a body, a user, a request or a response', () => {
    const { logger, lines } = capture({ LOG_LEVEL: 'log', LOG_FORMAT: 'json' });
    logger.pino.info(
      {
        refreshToken: 'top-refresh-1',
        body: { email: 'a@demo.local', password: 'geheim-im-body', token: 'tok-im-body' },
        user: { accessToken: 'eyJuser.secret', refreshToken: 'refresh-im-user' },
        request: { headers: { authorization: 'Bearer nested-auth', cookie: 'rkm_session=nested' } },
        response: { headers: { 'set-cookie': 'rkm_session=gesetzt' } },
      },
      'request',
    );
    const text = JSON.stringify(lines);
    for (const secret of [
      'top-refresh-1',
      'geheim-im-body',
      'tok-im-body',
      'eyJuser',
      'refresh-im-user',
      'nested-auth',
      'rkm_session',
    ])
      expect(text).not.toContain(secret);
    // Only the secrets go: the rest of the record stays readable.
    expect(lines[0]).toMatchObject({ body: { email: 'a@demo.local', password: '[redacted]' } });
  });

  it('writes the access line with the context HTTP, as the pretty line shows it', async () => {
    const { logger, lines } = capture({ LOG_LEVEL: 'log', LOG_FORMAT: 'json' });
    const middleware = accessLogMiddleware(logger.pino);
    const server = createServer((request, response) => {
      Object.assign(request, { originalUrl: request.url, baseUrl: '' });
      const next: NextFunction = () => void response.end('ok');
      middleware(request as unknown as Request, response as unknown as Response, next);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await (await fetch(`http://127.0.0.1:${port}/api/health?x=1`)).text();
    await new Promise((resolve) => server.close(resolve));
    expect(lines).toEqual([
      expect.objectContaining({
        context: 'HTTP',
        msg: 'request completed',
        path: '/api/health',
        status: 200,
      }),
    ]);
    expect(formatPretty(JSON.stringify(lines[0])).text).toMatch(/ INFO {2}\[HTTP\] request completed /);
  });

  it('formats a record as one readable line for LOG_FORMAT=pretty', () => {
    const line = JSON.stringify({
      level: 'info',
      time: '2026-12-01T08:15:02.123Z',
      pid: 1,
      hostname: 'h',
      context: 'HTTP',
      requestId: 'abc',
      msg: 'request completed',
      status: 200,
    });
    expect(formatPretty(line)).toEqual({
      text: '08:15:02.123 INFO  [HTTP] request completed requestId=abc status=200\n',
      error: false,
    });
    expect(formatPretty(JSON.stringify({ level: 'error', msg: 'kaputt' })).error).toBe(true);
  });
});
