/**
 * Serves /metrics on a port of its own (METRICS_PORT), apart from the application's port: the proxy in front
 * of the instances never forwards it, and Prometheus scrapes each instance directly. With METRICS_TOKEN set,
 * a scrape must bring it as a bearer token (401 otherwise). Without METRICS_PORT nothing listens.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../common/config/app-config.js';
import { metricsRegistry } from './metrics.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Metrics');
  private server: Server | null = null;

  constructor(private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.METRICS_PORT;
    if (port === undefined) return;
    const server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log(`Prometheus metrics on port ${(server.address() as AddressInfo).port} at /metrics`);
  }

  /** The address to scrape, for the tests and the log (port 0 in the settings: the one the system chose). */
  url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('METRICS_PORT is not set: no metrics');
    return `http://127.0.0.1:${address.port}`;
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not Found\n');
      return;
    }
    if (!this.authorised(request.headers.authorization)) {
      response
        .writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' })
        .end('Unauthorized\n');
      return;
    }
    try {
      const body = await metricsRegistry.metrics();
      response.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(body);
    } catch (error) {
      this.logger.error(`Metrics not readable: ${error instanceof Error ? error.message : String(error)}`);
      response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Internal Server Error\n');
    }
  }

  private authorised(header: string | undefined): boolean {
    const token = this.config.METRICS_TOKEN;
    if (!token) return true;
    const given = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? '';
    // Compared as digests: equal length, so the comparison takes the same time whatever was sent.
    return timingSafeEqual(digest(given), digest(token));
  }
}
