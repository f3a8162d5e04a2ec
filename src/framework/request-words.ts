/**
 * The words of the plan a request is about, for the messages that services, policies and imports say. The
 * access guard puts them into the request context with the plan it decides; where no plan is decided (the
 * command line, a plan-free route) they are the Bremen words.
 *
 * A plan's nouns have their own gender ("das Projekt", "die Partnerkommune"), which its vocabulary does not
 * say: a message in Bremen's words stays exactly as it was, and a plan with other words gets a phrase that
 * takes any noun ({@link said}).
 */
import type { EntityManager } from 'typeorm';
import { RequestContext } from '../common/context/request-context.js';
import { Framework } from './framework.entity.js';
import { DEFAULT_VOCABULARY, type PlanVocabulary, vocabularyOf } from './plans.service.js';

/** The request's plan's words, else the Bremen words. */
export function planWords(): PlanVocabulary {
  return RequestContext.current()?.words ?? DEFAULT_VOCABULARY;
}

/**
 * `fn` said in the words of a record's own plan: for a service that checks records of another plan than the
 * request's (a selection across plans). Synchronous, as the policies are.
 */
export function inWordsOf<T>(words: PlanVocabulary, fn: () => T): T {
  const current = RequestContext.current() ?? { requestId: '', ipAddress: '' };
  return RequestContext.run({ ...current, words }, fn);
}

/** The words of a plan as stored (its framework row), the Bremen words for those it does not name. */
export async function wordsOfPlan(manager: EntityManager, planId: number): Promise<PlanVocabulary> {
  return vocabularyOf(
    await manager.findOne(Framework, { select: { id: true, vocabulary: true }, where: { id: planId } }),
  );
}

/** Whether a plan says everything in the Bremen words (then every Bremen text is said as it is). */
export function speaksBremen(words: PlanVocabulary): boolean {
  return (Object.keys(DEFAULT_VOCABULARY) as (keyof PlanVocabulary)[]).every(
    (key) => words[key] === DEFAULT_VOCABULARY[key],
  );
}

/** Bremen's own phrase while the plan speaks Bremen's words, else the neutral one. */
export function wordedIn(words: PlanVocabulary, own: string, neutral: string): string {
  return speaksBremen(words) ? own : neutral;
}

/**
 * A message in the request's plan's words: `own` (Bremen's text) while the plan speaks Bremen's words, else
 * the neutral phrase built from the plan's words.
 */
export function said(own: string, neutral: (words: PlanVocabulary) => string): string {
  const words = planWords();
  return speaksBremen(words) ? own : neutral(words);
}

/**
 * A line that begins with a Bremen noun ("Handlungsfeld 3.1 „Sprache“ neu"), begun with the plan's word instead,
 * and "unbekanntes Handlungsfeld "X"" said as "<word> "X" ist unbekannt" (the adjective would follow the
 * noun's gender). Only the start is changed: the titles and names that follow are the plan's data.
 */
export function begunInPlanWords(text: string, words: PlanVocabulary): string {
  if (speaksBremen(words)) return text;
  for (const [marker, plural] of bracketedPlurals(words))
    if (text.startsWith(marker)) return plural + text.slice(marker.length);
  const unknown = /^unbekannte[sr]? (\p{L}+) ("[^"]*"|„[^“]*“)(.*)$/su.exec(text);
  const unknownWord = unknown && ownWordFor(unknown[1], words);
  if (unknown && unknownWord) return `${unknownWord} ${unknown[2]} ist unbekannt${unknown[3]}`;
  const first = /^\p{L}+/u.exec(text)?.[0];
  const word = first && ownWordFor(first, words);
  return first && word ? word + text.slice(first.length) : text;
}

const PLURALS: [keyof PlanVocabulary, keyof PlanVocabulary][] = [
  ['goal', 'goals'],
  ['field', 'fields'],
  ['measure', 'measures'],
  ['organisation', 'organisations'],
  ['body', 'bodies'],
  ['report', 'reports'],
];

/**
 * Bremen's "Maßnahme(n)", "Ressort(s)", "Ziel(e)": a singular with its plural ending in brackets, which another
 * word would not take ("Projekt(n)"), each with the plan's plural to say instead.
 */
export function bracketedPlurals(words: PlanVocabulary): [string, string][] {
  return PLURALS.flatMap(([one, many]): [string, string][] => {
    const singular = DEFAULT_VOCABULARY[one];
    const plural = DEFAULT_VOCABULARY[many];
    return plural.startsWith(singular) && plural !== singular && words[many] !== plural
      ? [[`${singular}(${plural.slice(singular.length)})`, words[many]]]
      : [];
  });
}

/** The plan's word for a Bremen word of the vocabulary ("Ressorts" → "Partnerkommunen"), else undefined. */
function ownWordFor(bremenWord: string, words: PlanVocabulary): string | undefined {
  const key = (Object.keys(DEFAULT_VOCABULARY) as (keyof PlanVocabulary)[]).find(
    (k) => DEFAULT_VOCABULARY[k] === bremenWord,
  );
  return key && words[key];
}

/** What a message calls the plan itself: Bremen's Rahmenkonzept, or a plan (genitive with "s" in both). */
export function planWord(words: PlanVocabulary = planWords()): string {
  return wordedIn(words, 'Rahmenkonzept', 'Plan');
}

/**
 * Who coordinates the plan (the role admin), as a message names it: Bremen's Koordinierungsstelle, or in a plan
 * with its own words the coordinating office whatever the plan calls it (a Geschäftsstelle, an OE).
 */
export function coordinator(): string {
  return said('die Koordinierungsstelle', () => 'die koordinierende Stelle des Plans');
}

/**
 * The words of each plan, read once per data version (a framework row written by a Fortschreibung changes the
 * version, see the DataVersion migration), so that a request does not read its plan's row again.
 */
export class PlanWordsCache {
  private version: string | undefined;
  private readonly byPlan = new Map<number, PlanVocabulary>();

  async of(manager: EntityManager, planId: number): Promise<PlanVocabulary> {
    const version = RequestContext.current()?.dataVersion;
    if (version === undefined || version !== this.version) {
      this.byPlan.clear();
      this.version = version;
    }
    const known = this.byPlan.get(planId);
    if (known) return known;
    const words = await wordsOfPlan(manager, planId);
    // Kept only if no write changed the data version meanwhile (its words may be older than that write).
    if (version !== undefined && this.version === version) this.byPlan.set(planId, words);
    return words;
  }
}
