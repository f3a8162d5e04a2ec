/**
 * Commander speaks English; a person at the terminal reads German. This puts German headings, placeholders
 * and error lines on a program and, through commander's inheritance, on every command added afterwards.
 */
import { type Command, Help, type Option } from 'commander';

const TITLES: Record<string, string> = {
  'Usage:': 'Aufruf:',
  'Arguments:': 'Argumente:',
  'Options:': 'Optionen:',
  'Global Options:': 'Globale Optionen:',
  'Commands:': 'Befehle:',
};

const usageWords = (text: string): string =>
  text.replace(/\[options\]/g, '[Optionen]').replace(/\[command\]/g, '[Befehl]');

/** Option flags as a user types them: `--email <adresse>` becomes `--email`. */
const flagOf = (flags: string): string => {
  const long = /--[\w-]+/.exec(flags);
  return long ? long[0] : flags.split(/[ ,]/)[0];
};

/** English message → German line; commander's wording is matched, anything unknown keeps its text. */
const ERRORS: [RegExp, (...groups: string[]) => string][] = [
  [/^error: missing required argument '(.+)'$/, (name) => `Angabe <${name}> fehlt`],
  [
    /^error: option '(.+)' argument missing$/,
    (flags) => `Option ${flagOf(flags)} braucht einen Wert (${flags})`,
  ],
  [
    /^error: required option '(.+)' not specified$/,
    (flags) => `Pflichtoption ${flagOf(flags)} fehlt (${flags})`,
  ],
  [/^error: unknown option '(.+)'$/, (flag) => `Unbekannte Option ${flag}`],
  [/^error: unknown command '(.+)'$/, (name) => `Unbekannter Befehl ${name}`],
  [
    /^error: too many arguments(?: for '(.+)')?\. Expected (\d+) arguments? but got (\d+)\.$/,
    (name, expected, got) =>
      `Zu viele Angaben${name ? ` für ${name}` : ''}: erwartet ${expected}, erhalten ${got}`,
  ],
  [
    /^error: option '(.+)' argument '(.*)' is invalid\. Allowed choices are (.+)\.$/,
    (flags, value, choices) => `Option ${flagOf(flags)}: ungültiger Wert "${value}"; erlaubt: ${choices}`,
  ],
  [
    /^error: option '(.+)' argument '(.*)' is invalid\.(.*)$/,
    (flags, value, rest) => `Option ${flagOf(flags)}: ungültiger Wert "${value}"${rest ? `;${rest}` : ''}`,
  ],
  [/^error: (.+) cannot be used with (.+)$/, (a, b) => `${a} kann nicht zusammen mit ${b} angegeben werden`],
  [/^error: (.*)$/, (rest) => rest],
];

export function germanError(english: string): string {
  const lines = english.replace(/\n$/, '').split('\n');
  const translated = lines.map((line) => {
    const similar = /^\(Did you mean (?:one of )?(.+)\?\)$/.exec(line);
    if (similar) return `(Meinten Sie ${similar[1].replace(/, /g, ' oder ')}?)`;
    for (const [pattern, german] of ERRORS) {
      const match = pattern.exec(line);
      if (match) {
        return `Fehler: ${german(...match.slice(1))}`
          .replace(/'(--[\w-]+)'/g, '$1')
          .replace(/\boption '([^']+)'/g, 'Option $1');
      }
    }
    return line;
  });
  return translated.join('\n') + '\n';
}

export function germanOptionDescription(this: void, option: Option): string {
  return Help.prototype.optionDescription
    .call(new Help(), option)
    .replace(/\(choices: /, '(Werte: ')
    .replace(/\bdefault: /, 'Vorgabe: ')
    .replace(/\benv: /, 'Einstellung: ');
}

export function speakGerman(program: Command): Command {
  return program
    .configureOutput({ outputError: (text, write) => write(germanError(text)) })
    .configureHelp({
      styleTitle: (title) => TITLES[title] ?? title,
      styleUsage: usageWords,
      styleSubcommandTerm: usageWords,
      optionDescription: germanOptionDescription,
    })
    .helpOption('-h, --help', 'diese Hilfe anzeigen')
    .helpCommand('help [befehl]', 'Hilfe zu einem Befehl anzeigen')
    .showHelpAfterError('(Aufruf und Optionen: --help)');
}
