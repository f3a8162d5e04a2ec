/**
 * FRAMEWORK_FILE and EXAMPLE_DATA_FILE name files or folders, separated by commas: a folder stands for every
 * `*.json` in it, sorted by name. A path that cannot be read is kept as it is, so that the loader reports it.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export async function configuredFiles(setting: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of setting.split(',').map((p) => p.trim())) {
    if (!entry) continue;
    const info = await stat(entry).catch(() => null);
    if (!info?.isDirectory()) {
      files.push(entry);
      continue;
    }
    const names = (await readdir(entry)).filter((name) => name.toLowerCase().endsWith('.json')).sort();
    files.push(...names.map((name) => join(entry, name)));
  }
  return [...new Set(files)];
}
