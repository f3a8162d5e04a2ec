/**
 * The error codes are stable and come from one place: each feature's enum. This spec checks the enums
 * (form, one prefix each, no value twice) and that no source file writes a code as a string of its own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { DatabaseError } from '../../database/database-errors.js';
import { ErrorCode, FEATURE_ERROR_ENUMS } from './error-codes.js';

const SRC = join(process.cwd(), 'src');
const FEATURE_CODE = /^([A-Z][A-Z_]*)\.([A-Z][A-Z0-9_]*)$/;
const PLAIN_CODE = /^[A-Z][A-Z0-9_]*$/;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The string literals a file's code contains (comments are not code), with their line numbers. */
function stringLiterals(fileName: string, text: string): { line: number; value: string }[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const found: { line: number; value: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      found.push({
        line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1,
        value: node.text,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

const featureEnums = Object.entries(FEATURE_ERROR_ENUMS) as [string, Record<string, string>][];
const allEnums: [string, Record<string, string>][] = [
  ...featureEnums,
  ['DatabaseError', DatabaseError],
  ['ErrorCode', ErrorCode],
];
/** The codes a source file must take from an enum; the general codes are plain words and may occur otherwise. */
const ownCodes = new Set<string>([
  ...featureEnums.flatMap(([, values]) => Object.values(values)),
  ...Object.values(DatabaseError),
]);
const files = sourceFiles(SRC);
/** The files that declare the feature enums (and the database's): the only places a code is written out. */
const enumFiles = files.filter(
  (path) => path.endsWith('-errors.ts') && /^export enum /m.test(readFileSync(path, 'utf8')),
);

/** Literals that look like a feature code (`FEATURE.NAME`) or are a storage code, outside the enum files. */
function offenders(paths: string[], read: (path: string) => string): string[] {
  return paths.flatMap((path) =>
    stringLiterals(path, read(path))
      .filter(({ value }) => FEATURE_CODE.test(value) || ownCodes.has(value))
      .map(({ line, value }) => `${relative(process.cwd(), path)}:${line} '${value}'`),
  );
}

describe('error codes', () => {
  it('gives every feature code the form FEATURE.NAME, one prefix per enum, member name = NAME', () => {
    const problems: string[] = [];
    const prefixes = new Map<string, string>();
    for (const [name, values] of featureEnums) {
      const own = new Set<string>();
      for (const [member, value] of Object.entries(values)) {
        const match = FEATURE_CODE.exec(value);
        if (!match) {
          problems.push(`${name}.${member} = '${value}' hat nicht die Form FEATURE.NAME`);
          continue;
        }
        own.add(match[1]);
        if (match[2] !== member) problems.push(`${name}.${member} heißt anders als sein Wert '${value}'`);
      }
      if (own.size !== 1) problems.push(`${name} mischt Präfixe: ${[...own].join(', ')}`);
      for (const prefix of own) {
        const other = prefixes.get(prefix);
        if (other) problems.push(`Präfix ${prefix} in ${other} und ${name}`);
        prefixes.set(prefix, name);
      }
    }
    for (const value of Object.values(DatabaseError)) {
      if (!PLAIN_CODE.test(value)) problems.push(`DatabaseError '${value}' ist kein Code in Großbuchstaben`);
    }
    expect(problems).toEqual([]);
  });

  it('uses no code twice, across all enums', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [name, values] of allEnums) {
      for (const value of Object.values(values)) {
        const other = seen.get(value);
        if (other) twice.push(`'${value}' in ${other} und ${name}`);
        seen.set(value, name);
      }
    }
    expect(twice).toEqual([]);
  });

  it('registers every enum of an *-errors.ts file in FEATURE_ERROR_ENUMS', () => {
    const registered = new Set([...Object.keys(FEATURE_ERROR_ENUMS), 'DatabaseError']);
    const missing = enumFiles.flatMap((path) =>
      [...readFileSync(path, 'utf8').matchAll(/^export enum (\w+)/gm)]
        .map((match) => match[1])
        .filter((name) => !registered.has(name))
        .map((name) => `${relative(process.cwd(), path)}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('finds a code written as a string, and none in the sources outside the enum files', () => {
    const sample = `throw notFound('${['MEASURE', 'NOT_FOUND'].join('.')}', 'x'); // '${['X', 'Y'].join('.')}'`;
    expect(offenders(['sample.ts'], () => sample)).toEqual([`sample.ts:1 'MEASURE.NOT_FOUND'`]);

    const found = offenders(
      files.filter((path) => !enumFiles.includes(path)),
      (path) => readFileSync(path, 'utf8'),
    );
    if (found.length > 0) {
      throw new Error(
        `Fehlercodes als Zeichenkette statt aus dem Enum der Funktion (${found.length}):\n${found.join('\n')}`,
      );
    }
  });
});
