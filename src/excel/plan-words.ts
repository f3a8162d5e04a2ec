/**
 * The plan's words in the Excel files: sheet names, column headers and titles that say Ziel, Handlungsfeld,
 * Ressort, Maßnahme or Umsetzungsbericht use the plan's vocabulary (PlansService, vocabularyOf). With the Bremen
 * words every file is exactly what it was. An import accepts a header in the plan's words or in the Bremen
 * words, so that a file written before a plan had its own words still imports.
 */
import { DEFAULT_VOCABULARY, type PlanVocabulary } from '../framework/plans.service.js';
import { bracketedPlurals } from '../framework/request-words.js';

/** Excel's limit on a sheet name, and the characters it refuses in one. */
const MAX_SHEET_NAME = 31;

/** A word usable as a sheet name: without the characters Excel refuses, at most 31 characters. */
export function sheetName(word: string): string {
  return (
    word
      .replace(/[[\]:*?/\\]/g, ' ')
      .trim()
      .slice(0, MAX_SHEET_NAME) || 'Blatt'
  );
}

/** A sheet named in a formula: quoted when the name is not a plain word. */
export function sheetRef(name: string): string {
  return /^[\p{L}_][\p{L}\p{N}_.]*$/u.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/** "Unbekanntes Handlungsfeld „3.99“." in the Bremen words; "<Wort> „3.99“ ist unbekannt." in others. */
export function unknownMessage(
  word: string,
  key: keyof PlanVocabulary,
  bremenPhrase: string,
  value: string,
): string {
  return word === DEFAULT_VOCABULARY[key]
    ? `${bremenPhrase} „${value}“.`
    : `${word} „${value}“ ist unbekannt.`;
}

/**
 * A text in the Bremen words, said in the plan's: each Bremen word standing alone (not "Ziel" in "Zielgruppen";
 * longest first, so that "Maßnahmen" is not read as "Maßnahme" + "n") replaced by the plan's.
 */
export function inPlanWords(text: string, words: PlanVocabulary): string {
  for (const [marker, plural] of bracketedPlurals(words)) text = text.split(marker).join(plural);
  const keys = (Object.keys(DEFAULT_VOCABULARY) as (keyof PlanVocabulary)[])
    .filter((key) => words[key] !== DEFAULT_VOCABULARY[key])
    .sort((a, b) => DEFAULT_VOCABULARY[b].length - DEFAULT_VOCABULARY[a].length);
  if (keys.length === 0) return text;
  const pattern = new RegExp(
    `(?<!\\p{L})(?:${keys.map((key) => DEFAULT_VOCABULARY[key]).join('|')})(?!\\p{L})`,
    'gu',
  );
  const byWord = new Map(keys.map((key) => [DEFAULT_VOCABULARY[key], words[key]]));
  return text.replace(pattern, (word) => byWord.get(word) ?? word);
}

/** Columns with their headers in the plan's words. */
export function inPlanColumns<T extends { header: string }>(
  columns: readonly T[],
  words: PlanVocabulary,
): T[] {
  return columns.map((column) => ({ ...column, header: inPlanWords(column.header, words) }));
}

/** The report's sheets named after the plan's words (the Bremen names are the default). */
const REPORT_SHEET_WORDS: Record<string, keyof PlanVocabulary> = {
  Ziele: 'goals',
  Handlungsfelder: 'fields',
  Ressorts: 'organisations',
  Maßnahmen: 'measures',
  Gremien: 'bodies',
};

/** A report sheet's name in the plan's words. */
export function reportSheetName(bremenName: string, words: PlanVocabulary): string {
  const key = REPORT_SHEET_WORDS[bremenName];
  return key ? sheetName(words[key]) : bremenName;
}

/** Bremen's own phrase, or the neutral one for a plan with its own words (one home: request-words.ts). */
export { wordedIn } from '../framework/request-words.js';

const TRANSLITERATED: Record<string, string> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  Ä: 'Ae',
  Ö: 'Oe',
  Ü: 'Ue',
  ß: 'ss',
};

/**
 * A word of the plan as part of a file name: umlauts and ß spelt out (Maßnahmen → Massnahmen), anything but
 * letters, digits, `.`, `_` and `-` made a `-`, so that the name survives every download and file system.
 */
export function fileNameWord(word: string): string {
  return (
    word
      .replace(/[äöüÄÖÜß]/g, (c) => TRANSLITERATED[c])
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'Datei'
  );
}
