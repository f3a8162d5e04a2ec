/**
 * The Dockerfile, compose.yaml and the proxy's configuration must fit the application they ship, even where no
 * container runtime exists to try them: the start command is the one package.json has, the ports are those the
 * application listens on, every setting they pass is one the application reads, the health check asks a route
 * that exists, every file the build needs is copied, and the proxy balances over exactly the instances.
 */
import { existsSync, readFileSync } from 'node:fs';
import { getMetadataStorage } from 'class-validator';
import { parse } from 'yaml';
import { AppConfig } from '../src/common/config/app-config.js';
import { HealthController } from '../src/health/health.controller.js';

const read = (path: string): string => readFileSync(path, 'utf8');
const packageJson = JSON.parse(read('package.json')) as {
  scripts: Record<string, string>;
  engines: { node: string };
};

/** Every setting the application reads: the validated properties of AppConfig. */
const SETTINGS = new Set(
  getMetadataStorage()
    .getTargetValidationMetadatas(AppConfig, '', true, false)
    .map((metadata) => metadata.propertyName),
);

/** The Dockerfile as instructions (continuation lines joined), split into its stages. */
function dockerStages(): { from: string; name?: string; lines: string[] }[] {
  const instructions = read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: { from: string; name?: string; lines: string[] }[] = [];
  for (const line of instructions) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ from: from[1], name: from[2], lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

const instruction = (lines: string[], keyword: string): string[] =>
  lines
    .filter((line) => line.toUpperCase().startsWith(`${keyword} `))
    .map((line) => line.slice(keyword.length + 1).trim());

/** `ENV A=1 B=2` → { A: '1', B: '2' }. */
function envOf(lines: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const value of instruction(lines, 'ENV'))
    for (const [, key, raw] of value.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[key] = raw.replace(/^"|"$/g, '');
  return env;
}

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: unknown;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, unknown> | string[];
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
}
const compose = (): { services: Record<string, ComposeService> } =>
  parse(read('compose.yaml')) as { services: Record<string, ComposeService> };

describe('deployment files', () => {
  const stages = dockerStages();
  const runtime = stages.at(-1)!;
  const build = stages[0];
  const runtimeEnv = envOf(runtime.lines);

  it('build in one stage (npm install with dev dependencies, npm run build) and run from node 20 slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const runs = instruction(build.lines, 'RUN').join('\n');
    expect(runs).toMatch(/npm (ci|install)\b/);
    expect(runs).toContain('npm run build');
    expect(packageJson.scripts.build).toBeDefined();
    // The runtime image's Node matches the engines field (>=20.19: Node 20).
    expect(runtime.from).toBe('node:20-bookworm-slim');
    expect(packageJson.engines.node).toMatch(/^>=20\./);
    // Only production dependencies reach the runtime stage.
    expect(runs).toMatch(/npm prune --omit=dev/);
  });

  it('starts with the command package.json names, as a user that is not root', () => {
    const cmd = JSON.parse(instruction(runtime.lines, 'CMD')[0]) as string[];
    expect(cmd.join(' ')).toBe(packageJson.scripts['start:prod']);
    const user = instruction(runtime.lines, 'USER');
    expect(user).toHaveLength(1);
    expect(user[0]).not.toMatch(/^(root|0)(:|$)/);
  });

  it('copies what the built application reads at run time', () => {
    const copies = instruction(runtime.lines, 'COPY').join('\n');
    for (const needed of ['dist', 'node_modules', 'package.json', 'data', 'src', 'bin']) {
      expect(copies).toMatch(new RegExp(`/app/${needed}\\b`));
    }
    // Views, assets and workers that the build looks up beside the sources (new URL('../../src/…')).
    for (const path of ['src/web/views', 'src/web/public', 'src/database/background-reader.worker.mjs'])
      expect(existsSync(path)).toBe(true);
    // The PDF is printed by Chromium from the distribution, where the application looks for it.
    expect(instruction(runtime.lines, 'RUN').join('\n')).toMatch(/apt-get install[^\n]*\bchromium\b/);
    expect(runtimeEnv.CHROMIUM_PATH ?? new AppConfig().CHROMIUM_PATH).toBe('/usr/bin/chromium');
  });

  it('exposes the application port and the metrics port, and checks the liveness route', () => {
    const exposed = instruction(runtime.lines, 'EXPOSE').join(' ').split(/\s+/).map(Number);
    expect(exposed).toContain(Number(runtimeEnv.PORT ?? new AppConfig().PORT));
    expect(exposed).toContain(Number(runtimeEnv.METRICS_PORT));
    const healthcheck = instruction(runtime.lines, 'HEALTHCHECK')[0];
    const base = Reflect.getMetadata('path', HealthController) as string;
    const live = Reflect.getMetadata('path', HealthController.prototype.live) as string;
    expect(healthcheck).toContain(`/${base}/${live}`);
    expect(healthcheck).toContain('process.env.PORT');
  });

  it('set only settings the application reads, in the Dockerfile and in compose.yaml', () => {
    for (const name of Object.keys(runtimeEnv)) {
      if (name === 'NODE_ENV') continue;
      expect({ name, known: SETTINGS.has(name) }).toEqual({ name, known: true });
    }
    for (const [service, definition] of Object.entries(compose().services)) {
      if (definition.image?.startsWith('postgres') || definition.image?.startsWith('nginx')) continue;
      for (const name of Object.keys(definition.environment ?? {}))
        expect({ service, name, known: SETTINGS.has(name) || name === 'NODE_ENV' }).toEqual({
          service,
          name,
          known: true,
        });
    }
  });

  it('run two instances of the image on one PostgreSQL 17, secrets from the environment, behind one proxy', () => {
    const { services } = compose();
    const apps = Object.entries(services).filter(
      ([, s]) => s.build !== undefined || s.image?.startsWith('rahmenkonzept'),
    );
    expect(apps.map(([name]) => name).sort()).toEqual(['app1', 'app2']);
    expect(services.db.image).toMatch(/^postgres:17/);
    for (const [, app] of apps) {
      const env = app.environment ?? {};
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@db:5432\//);
      // Secrets come from the environment of whoever starts compose, never from the file.
      expect(env.AUTH_SECRET).toMatch(/^\$\{AUTH_SECRET:\?/);
      expect(env.DATABASE_URL).toContain('${POSTGRES_PASSWORD');
      expect(env.NODE_ENV).toBe('production');
      // The proxy is in a container network, not on loopback: its X-Forwarded-For must be believed.
      expect(env.TRUST_PROXY).toBeDefined();
      // Not published: the proxy is the one way in; metrics are scraped on the internal network.
      expect(app.ports).toBeUndefined();
      expect(app.depends_on).toMatchObject({ db: { condition: 'service_healthy' } });
      // Docker's default of 10 s before SIGKILL must leave room for SHUTDOWN_TIMEOUT_MS.
      const grace = Number(/^(\d+)s$/.exec(app.stop_grace_period ?? '')?.[1] ?? 10) * 1000;
      expect(grace).toBeGreaterThan(Number(env.SHUTDOWN_TIMEOUT_MS ?? new AppConfig().SHUTDOWN_TIMEOUT_MS));
    }

    const proxy = services.proxy;
    expect(proxy.image).toMatch(/^nginx:/);
    const mounted = (proxy.volumes ?? []).map((volume) => volume.split(':')[0]);
    expect(mounted).toContain('./deploy/nginx.conf');
    const nginx = read('deploy/nginx.conf');
    const port = runtimeEnv.PORT ?? String(new AppConfig().PORT);
    const upstreams = [...nginx.matchAll(/^\s*server\s+([\w.-]+):(\d+)/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(upstreams.sort()).toEqual([`app1:${port}`, `app2:${port}`]);
    expect(nginx).toMatch(/proxy_set_header\s+X-Request-Id\s+\$request_id;/);
    // nginx is the only hop: it sets the client's address and drops whatever X-Forwarded-For the client sent
    // (the instances trust private addresses, so a passed-on header would let a client choose its address).
    expect(nginx).toMatch(/proxy_set_header\s+X-Forwarded-For\s+\$remote_addr;/);
    expect(nginx).not.toContain('$proxy_add_x_forwarded_for');
    // The metrics port is never forwarded by the proxy.
    expect(nginx).not.toContain(runtimeEnv.METRICS_PORT);
  });

  it('keep build output, dependencies, databases and secrets out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    for (const entry of [
      'node_modules',
      'dist',
      '.git',
      'test/.tmp',
      'data/*.sqlite*',
      'data/secrets.json',
      'reports',
    ])
      expect(ignored).toContain(entry);
  });
});
