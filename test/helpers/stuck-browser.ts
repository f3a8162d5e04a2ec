/**
 * A "browser" that starts and never answers, for CHROMIUM_PATH: a PDF job that uses it stays in the middle of
 * its work (printing) for as long as a test needs, without any test-only code in the application. Each start
 * notes its process id, so that the test can end them all afterwards.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes the stuck browser into `directory` and returns its path. */
export function createStuckBrowser(directory: string): string {
  const path = join(directory, 'stuck-chromium');
  writeFileSync(path, `#!/bin/sh\necho $$ >> "${join(directory, 'stuck.pids')}"\nexec sleep 600\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Ends every stuck browser started from `directory` (whose instance may have been killed before it could). */
export function killStuckBrowsers(directory: string): void {
  let pids: string[];
  try {
    pids = readFileSync(join(directory, 'stuck.pids'), 'utf8').split('\n').filter(Boolean);
  } catch {
    return; // none was started
  }
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
