#!/usr/bin/env node
/**
 * The installed command (`rahmenkonzept`, also `npm run cli`): runs the command line from the build and
 * builds first only when dist/ is missing or older than a source file, so a call costs no compilation.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuild, root } from './ensure-build.js';

const entry = join(root, 'dist', 'cli', 'main.js');
const failure = ensureBuild(entry);
if (failure) {
  console.error(`Fehler: ${failure}`);
  process.exit(1);
}

await import(pathToFileURL(entry).href);
