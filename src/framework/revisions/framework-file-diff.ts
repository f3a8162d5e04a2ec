/**
 * A framework file against the one applied before: which version is newer, where two files first differ, and
 * the revision changes that turn the one into the other. Files are compared as plain JSON, with missing
 * optional texts read as empty, so that the same content written differently counts as the same.
 */
import { DEFAULT_INDICATOR_GROUPS } from '../framework-defaults.js';
import {
  DEFAULT_LEVELS,
  DEFAULT_MEASURE_CODE,
  type FrameworkFile,
  type ReportingRhythmEntry,
  rhythmLabel,
} from '../framework-file.js';
import { DEFAULT_VOCABULARY } from '../plans.service.js';
import type { RevisionChange } from './revision-changes.js';

/** A framework file as plain JSON (what is stored as the file last applied). */
export type FileJson = Record<string, unknown> & {
  framework: Record<string, unknown>;
  goals: Entry[];
  actionFields: Entry[];
  departments: Entry[];
  targetGroups?: string[];
  governanceBodies?: Entry[];
  reportingCycles?: Entry[];
  indicators?: Entry[];
  levels?: Entry[];
  areas?: Entry[];
};

/**
 * Before bodies named their participation formats, the body coded "beteiligungsformate" had these two: a file
 * kept from then reads as if it had named them.
 */
const EARLIER_FORMATS = { code: 'beteiligungsformate', formats: ['übergreifend', 'themenspezifisch'] };

/**
 * A file with the plan-shape fields (vocabulary, measure codes, reporting rhythm, levels, areas, a body's
 * cadence in weeks, members by function, participation formats) written out as their defaults, so that a
 * file kept from before those fields compares equal to the same file that states the defaults.
 */
export function shapeDefaults(file: FileJson): FileJson {
  const copy = structuredClone(file);
  const info = copy.framework;
  const vocabulary: Record<string, string> = { ...DEFAULT_VOCABULARY };
  for (const [key, word] of Object.entries((info.vocabulary as Record<string, string> | undefined) ?? {}))
    if (typeof word === 'string' && word) vocabulary[key] = word;
  const rhythm = info.reportingRhythm as ReportingRhythmEntry | undefined;
  copy.framework = {
    ...info,
    vocabulary,
    measureCode: info.measureCode ?? { ...DEFAULT_MEASURE_CODE },
    reportingRhythm: { months: rhythm?.months ?? 24, label: rhythmLabel(rhythm) },
  };
  copy.levels = (copy.levels ?? DEFAULT_LEVELS.map((l) => ({ ...l }))).map((l) => ({
    code: l.code,
    name: l.name,
  }));
  copy.areas = (copy.areas ?? []).map((a) => ({ code: a.code, name: a.name, level: a.level ?? null }));
  if (copy.governanceBodies)
    copy.governanceBodies = copy.governanceBodies.map((b) => ({
      ...b,
      members: ((b.members as Record<string, unknown>[] | undefined) ?? []).map((m) => ({
        departmentCode: m.departmentCode ?? null,
        function: m.function,
      })),
      participationFormats:
        (b.participationFormats as string[] | undefined) ??
        (b.code === EARLIER_FORMATS.code ? EARLIER_FORMATS.formats : []),
    }));
  return copy;
}
type Entry = Record<string, unknown> & { code: string };

export function fileJson(content: FrameworkFile): FileJson {
  return JSON.parse(JSON.stringify(content)) as FileJson;
}

/**
 * Compares two version labels by the numbers in them, in order ("2021" < "2021.1" < "2023" <
 * "Fortschreibung 2025"); labels with the same numbers are the same version.
 */
export function compareVersions(a: string, b: string): number {
  const numbers = (v: string): number[] => (v.match(/\d+/g) ?? []).map(Number);
  const x = numbers(a);
  const y = numbers(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

const EMPTY_AS_MISSING = new Set(['description', 'members', 'definition', 'unit', 'source', 'note']);

function show(value: unknown): string {
  if (value === undefined) return 'fehlt';
  const text = typeof value === 'string' ? `„${value}“` : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** The first place where `after` differs from `before`, as "path: new statt old", or null if they agree. */
export function firstDifference(before: unknown, after: unknown, path = ''): string | null {
  const missing = (v: unknown, key: string): boolean =>
    v === undefined || v === null
      ? true
      : EMPTY_AS_MISSING.has(key) && (v === '' || (Array.isArray(v) && v.length === 0));
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const found = firstDifference(before[i], after[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (before && after && typeof before === 'object' && typeof after === 'object') {
    const b = before as Record<string, unknown>;
    const a = after as Record<string, unknown>;
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
      const sub = path ? `${path}.${key}` : key;
      if (missing(a[key], key) && missing(b[key], key)) continue;
      const found = firstDifference(b[key], a[key], sub);
      if (found) return found;
    }
    return null;
  }
  if (before === after) return null;
  return `${path || '(Wurzel)'}: ${show(after)} statt ${show(before)}`;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const byCode = (list: Entry[] | undefined): Map<string, { entry: Entry; index: number }> =>
  new Map((list ?? []).map((entry, index) => [entry.code, { entry, index }]));

/**
 * The changes that turn the file `before` into the file `after`: framework details, new and changed goals,
 * fields, departments, bodies and indicators; fields and departments missing from `after` are retired. Goals,
 * bodies and indicators are never removed by a file: their absence is a problem returned in `problems`.
 */
export function fileChanges(
  before: FileJson,
  after: FileJson,
): { changes: RevisionChange[]; problems: string[] } {
  const changes: RevisionChange[] = [];
  const problems: string[] = [];
  [before, after] = [shapeDefaults(before), shapeDefaults(after)];
  const info = (f: FileJson) => ({
    name: text(f.framework.name),
    region: text(f.framework.region),
    adopted: text(f.framework.adopted),
    staleAfterDays: (f.framework.staleAfterDays as number | undefined) ?? 180,
    targetGroups: f.targetGroups ?? [],
    vocabulary: f.framework.vocabulary,
    measureCode: f.framework.measureCode,
    reportingRhythm: f.framework.reportingRhythm,
    levels: f.levels,
    areas: (f.areas ?? []).map((a) => (a.level === null ? { code: a.code, name: a.name } : a)),
  });
  const [bi, ai] = [info(before), info(after)];
  const frameworkChange: RevisionChange = { kind: 'update_framework' };
  for (const key of Object.keys(ai) as (keyof typeof ai)[]) {
    if (JSON.stringify(bi[key]) !== JSON.stringify(ai[key]))
      Object.assign(frameworkChange, { [key]: ai[key] });
  }
  if (Object.keys(frameworkChange).length > 1) changes.push(frameworkChange);
  for (const area of before.areas ?? [])
    if (!(after.areas ?? []).some((a) => a.code === area.code))
      problems.push(`areas: Gebiet ${area.code} fehlt in der neuen Datei; Gebiete werden nicht entfernt`);

  const titled = (
    list: 'goals' | 'actionFields' | 'departments',
    label: string,
    kinds: { add: RevisionChange['kind']; update: RevisionChange['kind']; retire?: RevisionChange['kind'] },
    titleKey: 'title' | 'name',
  ): void => {
    const old = byCode(before[list]);
    const now = byCode(after[list]);
    after[list].forEach((entry, index) => {
      const was = old.get(entry.code);
      const values: RevisionChange = {
        kind: was ? kinds.update : kinds.add,
        code: entry.code,
        [titleKey]: text(entry[titleKey]),
        description: text(entry.description),
        sortOrder: index + 1,
        ...(list === 'departments' ? { departmentKind: (entry.kind as 'senate' | 'other') ?? 'senate' } : {}),
      };
      if (!was) return void changes.push(values);
      const same =
        text(was.entry[titleKey]) === text(entry[titleKey]) &&
        text(was.entry.description) === text(entry.description) &&
        was.index === index &&
        (list !== 'departments' || (was.entry.kind ?? 'senate') === (entry.kind ?? 'senate'));
      if (!same) changes.push(values);
    });
    for (const code of old.keys()) {
      if (now.has(code)) continue;
      if (kinds.retire) changes.push({ kind: kinds.retire, code });
      else
        problems.push(`${list}: ${label} ${code} fehlt in der neuen Datei; ${label}e werden nicht entfernt`);
    }
  };
  titled('goals', 'Ziel', { add: 'add_goal', update: 'update_goal' }, 'title');
  titled(
    'actionFields',
    'Handlungsfeld',
    { add: 'add_field', update: 'update_field', retire: 'retire_field' },
    'title',
  );
  titled(
    'departments',
    'Ressort',
    { add: 'add_department', update: 'update_department', retire: 'retire_department' },
    'name',
  );

  const oldBodies = byCode(before.governanceBodies);
  (after.governanceBodies ?? []).forEach((body, index) => {
    const was = oldBodies.get(body.code);
    const change = {
      kind: was ? 'update_body' : 'add_body',
      code: body.code,
      name: text(body.name),
      description: text(body.description),
      ...(body.intervalWeeks
        ? { intervalWeeks: body.intervalWeeks }
        : { meetingsPerYear: body.meetingsPerYear }),
      participationFormats: body.participationFormats ?? [],
      members: ((body.members as Record<string, unknown>[] | undefined) ?? []).map((m) =>
        m.departmentCode === null ? { function: m.function } : m,
      ),
      sortOrder: index + 1,
    } as unknown as RevisionChange;
    if (!was || firstDifference({ ...was.entry, index: was.index }, { ...body, index })) changes.push(change);
  });
  for (const code of oldBodies.keys())
    if (!(after.governanceBodies ?? []).some((b) => b.code === code))
      problems.push(
        `governanceBodies: Gremium ${code} fehlt in der neuen Datei; Gremien werden nicht entfernt`,
      );

  const oldIndicators = byCode(before.indicators);
  for (const indicator of after.indicators ?? []) {
    const was = oldIndicators.get(indicator.code);
    if (!was || firstDifference(was.entry, indicator))
      changes.push({ kind: 'set_indicator', indicator: indicator as never });
  }
  for (const code of oldIndicators.keys())
    if (!(after.indicators ?? []).some((i) => i.code === code))
      problems.push(
        `indicators: Indikator ${code} fehlt in der neuen Datei; Indikatoren werden nicht entfernt`,
      );
  return { changes, problems };
}

/** A file with the defaults the loader fills in written out, so that a file and the database compare alike. */
export function withDefaults(file: FileJson): FileJson {
  const copy = shapeDefaults(file);
  copy.indicators = (copy.indicators ?? []).map((i) => ({
    ...i,
    direction: i.direction ?? 'neutral',
    groups: i.groups ?? DEFAULT_INDICATOR_GROUPS,
  }));
  copy.departments = copy.departments.map((d) => ({ ...d, kind: d.kind ?? 'senate' }));
  copy.framework = { ...copy.framework, staleAfterDays: copy.framework.staleAfterDays ?? 180 };
  delete copy.framework.version;
  // A setting the admin changes on the page, not a revision: taken from a file at the first start only.
  delete copy.framework.publicBudget;
  delete copy.reportingCycles;
  return copy;
}

const LISTS = [
  ['goals', 'Ziel'],
  ['actionFields', 'Handlungsfeld'],
  ['departments', 'Ressort'],
  ['governanceBodies', 'Gremium'],
  ['indicators', 'Indikator'],
  ['areas', 'Gebiet'],
] as const;

/**
 * What a new file would undo of the revisions made since the file applied before (`base`), the database now
 * being `current`: every entry (and framework detail) the revisions changed, added or retired that the new file
 * leaves as `base` had it. An empty list: the new file either carries those revisions or changes the same
 * entries on purpose, and can be compared with the database as it is.
 */
export function undoneByFile(base: FileJson, current: FileJson, next: FileJson): string[] {
  const [b, c, n] = [withDefaults(base), withDefaults(current), withDefaults(next)];
  const undone: string[] = [];
  const same = (x: unknown, y: unknown) => firstDifference(x, y) === null;
  for (const key of [...new Set([...Object.keys(c.framework), ...Object.keys(b.framework)])])
    if (!same(b.framework[key], c.framework[key]) && same(b.framework[key], n.framework[key]))
      undone.push(`Rahmenkonzept ${key}`);
  if (!same(b.targetGroups ?? [], c.targetGroups ?? []) && same(b.targetGroups ?? [], n.targetGroups ?? []))
    undone.push('Rahmenkonzept targetGroups');
  for (const [list, label] of LISTS) {
    const [bb, cc, nn] = [byCode(b[list]), byCode(c[list]), byCode(n[list])];
    for (const code of new Set([...bb.keys(), ...cc.keys()])) {
      const [was, now, next] = [bb.get(code)?.entry, cc.get(code)?.entry, nn.get(code)?.entry];
      if (!same(was, now) && same(was, next)) undone.push(`${label} ${code}`);
    }
  }
  return undone;
}
