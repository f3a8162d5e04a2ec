/**
 * The benchmark's run with several instances: two server processes (`node dist/main.js`) on the benchmark's
 * PostgreSQL database behind a small round-robin proxy (round-robin-proxy.ts), as a data centre runs them,
 * against one instance behind the same proxy on the same machine. Measures the dashboard and the filtered
 * measure list (the routes of the single-instance run) and reports requests/s and the ratio, with the
 * machine's load during each run, which says what limits the ratio. Figures only, no target.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startProxy } from './round-robin-proxy.js';

export interface Throughput {
  rps: number;
  errors: number;
}

export interface InstancesOptions {
  /** The size's name for the table. */
  size: string;
  /** The server's settings (with DATABASE_URL), as the single-instance run starts it. */
  env: NodeJS.ProcessEnv;
  /** A folder for the instances' own report folders. */
  dir: string;
  credentials: { email: string; password: string };
  /** The routes, as the single-instance run asks for them. */
  paths: { dashboard: string; list: string };
  /** The benchmark's load run (autocannon, its connections and duration). */
  load(url: string, token: string): Promise<Throughput>;
  freePort(): Promise<number>;
  waitFor(url: string, child: ChildProcess): Promise<void>;
  log(message: string): void;
}

export interface InstancesRow {
  size: string;
  figure: string;
  value: number;
  unit: string;
  floor: number | null;
  floorName: string;
  ratio: number | null;
  target: string;
  met: boolean | null;
}

interface Instance {
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startInstance(options: InstancesOptions, name: string): Promise<Instance> {
  const port = await options.freePort();
  const child = spawn(process.execPath, ['dist/main.js'], {
    // Each instance with a reports folder of its own, as on two machines.
    env: { ...options.env, PORT: String(port), REPORTS_DIR: join(options.dir, `reports-${name}`) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await options.waitFor(`http://127.0.0.1:${port}/api/health/live`, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, child, stop };
}

/** Share of the machine's CPU time that was busy between two readings of os.cpus(). */
function busyBetween(before: ReturnType<typeof cpus>, after: ReturnType<typeof cpus>): number {
  let busy = 0;
  let total = 0;
  after.forEach((cpu, i) => {
    const was = before[i].times;
    const all = (t: typeof was): number => t.user + t.nice + t.sys + t.idle + t.irq;
    total += all(cpu.times) - all(was);
    busy += all(cpu.times) - all(was) - (cpu.times.idle - was.idle);
  });
  return total > 0 ? busy / total : 0;
}

interface Measured {
  dashboard: Throughput;
  list: Throughput;
  busy: number;
}

async function measureBehindProxy(
  options: InstancesOptions,
  ports: number[],
  token: string,
): Promise<Measured> {
  const proxy = await startProxy(ports);
  try {
    // A second of load on each route first, so that every instance behind the proxy has warmed up.
    for (const path of [options.paths.dashboard, options.paths.list])
      await autocannon({
        url: `${proxy.url}${path}`,
        connections: 10,
        duration: 1,
        headers: { authorization: `Bearer ${token}` },
      });
    const before = cpus();
    const dashboard = await options.load(`${proxy.url}${options.paths.dashboard}`, token);
    const list = await options.load(`${proxy.url}${options.paths.list}`, token);
    return { dashboard, list, busy: busyBetween(before, cpus()) };
  } finally {
    await proxy.stop();
  }
}

/** Two instances against one, both behind the round-robin proxy; stops every process it started. */
export async function benchInstances(options: InstancesOptions): Promise<InstancesRow[]> {
  const instances: Instance[] = [];
  const stopAll = (): void => {
    for (const instance of instances) instance.child.kill('SIGKILL');
  };
  // Should the benchmark be ended from outside, the instances end with it.
  process.once('exit', stopAll);
  try {
    options.log(`${options.size}: zwei Instanzen auf PostgreSQL hinter einem Round-Robin-Proxy …`);
    const started = await Promise.allSettled([startInstance(options, 'a'), startInstance(options, 'b')]);
    for (const result of started) if (result.status === 'fulfilled') instances.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const [a, b] = instances;

    // Signed in once, through the proxy: the token is valid on every instance.
    const probe = await startProxy([a.port, b.port]);
    let token: string;
    try {
      const response = await fetch(`${probe.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(options.credentials),
      });
      if (!response.ok) throw new Error(`Anmeldung über den Proxy: ${response.status}`);
      token = ((await response.json()) as { accessToken: string }).accessToken;
    } finally {
      await probe.stop();
    }

    const one = await measureBehindProxy(options, [a.port], token);
    const two = await measureBehindProxy(options, [a.port, b.port], token);
    const cores = cpus().length;
    const percent = (share: number): string => `${Math.round(share * 100)} %`;
    const rows: InstancesRow[] = (
      [
        ['Dashboard', one.dashboard, two.dashboard],
        ['Maßnahmenliste gefiltert', one.list, two.list],
      ] as const
    ).map(([name, single, double]) => ({
      size: options.size,
      figure: `Zwei Instanzen hinter Proxy: ${name} (Anfragen/s)`,
      value: double.rps,
      unit: 'Anfragen/s',
      floor: single.rps,
      floorName: 'eine Instanz hinter demselben Proxy',
      ratio: double.rps / Math.max(single.rps, 1),
      target: `nur Zahl; ${cores} Kerne ausgelastet zu ${percent(one.busy)} (eine) / ${percent(two.busy)} (zwei)`,
      met: null,
    }));
    for (const row of rows)
      options.log(
        `${options.size}: ${row.figure.replace(' (Anfragen/s)', '')}: ${row.value.toFixed(0)} Anfragen/s, ` +
          `eine Instanz ${row.floor!.toFixed(0)} Anfragen/s, Verhältnis ${row.ratio!.toFixed(2)}×`,
      );
    const errors = [one, two].reduce((sum, m) => sum + m.dashboard.errors + m.list.errors, 0);
    if (errors) options.log(`${options.size}: Fehlerantworten unter Last über den Proxy: ${errors}`);
    options.log(
      `${options.size}: Warum: ${cores} Kerne für beide Instanzen, PostgreSQL, den Proxy und den Lastgenerator ` +
        `(mit einer Instanz schon ${percent(one.busy)} ausgelastet, mit zwei ${percent(two.busy)}); ` +
        'eine zweite Instanz bringt hier keine neue Rechenzeit, nur einen Prozess mehr auf denselben Kernen ' +
        '(mit eigenem Verbindungspool und eigenem Zwischenstand des Dashboards), also ein Verhältnis um 1 oder ' +
        'etwas darunter, nicht 2. Mehr Durchsatz bringt sie erst auf eigenen Kernen (eigener Rechner).',
    );
    return rows;
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
    process.removeListener('exit', stopAll);
  }
}
