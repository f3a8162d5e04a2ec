/**
 * Where a password comes from: `--password`, a prompt on the terminal (no echo, asked twice), or standard
 * input when that is a pipe or a file (`echo … | rahmenkonzept user:create …`).
 */
import { CliAbort, CliError } from './errors.js';

const MISSING =
  'Passwort fehlt: am Terminal eingeben, über die Standardeingabe übergeben oder --password angeben';
const ATTEMPTS = 3;

/** Reads one line from the terminal in raw mode, so nothing typed is shown. */
export function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  const output = process.stderr;
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
    };
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      // An escape sequence (arrow keys, function keys) arrives as one chunk and is not part of a password.
      if (text.startsWith('\u001b')) return;
      for (const char of text) {
        if (char === '\r' || char === '\n') {
          finish();
          resolve(value);
          return;
        }
        if (char === '\u0003' || (char === '\u0004' && value === '')) {
          finish();
          reject(new CliAbort('Abgebrochen'));
          return;
        }
        if (char === '\u007f' || char === '\b') {
          value = Array.from(value).slice(0, -1).join('');
        } else if (char === '\u0015') {
          value = '';
        } else if (char >= ' ') {
          value += char;
        }
      }
    };
    // Raw mode before the question: what is typed after seeing it must never reach the terminal's echo.
    input.setRawMode(true);
    input.on('data', onData);
    input.resume();
    output.write(question);
  });
}

async function readStandardInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/**
 * The password for a new account or a reset. On a terminal it is asked twice and checked at once against
 * `problems` (the password policy), so a typo or a weak password can be corrected without starting over.
 */
export async function readPassword(
  option: string | undefined,
  problems: (password: string) => string[],
): Promise<string> {
  if (option !== undefined) return option;
  if (!process.stdin.isTTY) {
    const value = await readStandardInput();
    if (!value) throw new CliError(MISSING);
    return value;
  }
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const first = await promptHidden('Passwort: ');
    if (!first) {
      process.stderr.write('Das Passwort darf nicht leer sein.\n');
      continue;
    }
    const found = problems(first);
    if (found.length) {
      process.stderr.write(`Das Passwort ${found.join('; ')}.\n`);
      continue;
    }
    const second = await promptHidden('Passwort wiederholen: ');
    if (first === second) return first;
    process.stderr.write('Die beiden Eingaben stimmen nicht überein.\n');
  }
  throw new CliError(`Nach ${ATTEMPTS} Versuchen kein gültiges Passwort erhalten`);
}
