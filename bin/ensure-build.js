/**
 * Builds dist/ when it is missing or older than a file the build reads (src/ without specs, the tsconfig
 * files). Shared by the installed command (bin/rahmenkonzept.js) and the tests that start real processes,
 * so that both run what the sources say.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The newest modification time of the files the build reads. */
function newestSource(dir) {
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, item.name);
    if (item.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (!item.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Why dist/ must be built before `entry` runs, or null when it is current. */
export function buildReason(entry) {
  if (!existsSync(entry)) return 'dist/ fehlt';
  const sources = join(root, 'src');
  // An installation without sources runs the build it was shipped with.
  if (!existsSync(sources)) return null;
  const settings = ['tsconfig.json', 'tsconfig.build.json']
    .map((name) => join(root, name))
    .filter((path) => existsSync(path))
    .map((path) => statSync(path).mtimeMs);
  const newest = Math.max(newestSource(sources), ...settings);
  return newest > statSync(entry).mtimeMs ? 'src/ ist neuer als dist/' : null;
}

/**
 * Builds when needed. Returns null when the build is current or was made; otherwise the German reason why
 * it could not be made (the compiler's own messages went to standard error).
 */
export function ensureBuild(entry = join(root, 'dist', 'main.js')) {
  const reason = buildReason(entry);
  if (!reason) return null;
  let compiler = null;
  try {
    compiler = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    compiler = null;
  }
  if (!compiler) {
    return existsSync(entry)
      ? null
      : `${reason} und TypeScript ist nicht installiert; bitte \`npm install\` und \`npm run build\``;
  }
  process.stderr.write(`Übersetze die Anwendung (${reason}) …\n`);
  // The compiler's messages go to standard error, so that standard output carries only the command's.
  const build = spawnSync(process.execPath, [compiler, '-p', join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  return build.status === 0
    ? null
    : 'die Übersetzung ist fehlgeschlagen (Meldungen oben); bitte `npm run build` prüfen';
}
