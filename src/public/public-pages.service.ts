/**
 * What the public pages under /oeffentlich show, built on PublicReportingService (which alone decides which
 * fields are public): the plan with its published cycles, a cycle's figures by goal, field and department, the
 * measure list with search and filters, and a measure's status in every published cycle.
 *
 * Each plan has its own pages under /oeffentlich/<plan code>. The pages are the same for every visitor of a published snapshot. One small query reads which cycles are
 * published now, with their current snapshot (so that unpublishing or a new close takes effect at once in every
 * server process); everything built from a snapshot is kept in memory under that version.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { notFound } from '../common/http/domain-errors.js';
import { StatusTally } from '../dashboard/dashboard-breakdown.js';
import type { StatusBreakdown } from '../dashboard/dashboard.types.js';
import { Framework } from '../framework/framework.entity.js';
import { DEFAULT_VOCABULARY, type PlanVocabulary, vocabularyOf } from '../framework/plans.service.js';
import { naturalSortKey } from '../measures/measure.constants.js';
import { MeasureError } from '../measures/measure-errors.js';
import { STATUS_KEYS } from '../measures/measure-rules.js';
import { CycleError } from '../reporting/cycle-errors.js';
import { CycleSnapshot } from '../reporting/cycle-snapshot.entity.js';
import type { ImplementationReport } from '../reporting/implementation-report.entity.js';
import { ReportingCycle } from '../reporting/reporting-cycle.entity.js';
import { LruCache } from './lru-cache.js';
import {
  type PublicCodeTitle,
  type PublicCycle,
  type PublicCycleData,
  type PublicMeasure,
  PublicReportingService,
} from './public-reporting.service.js';
import { wordedIn } from '../framework/request-words.js';

/** Measures per page of the public list. */
export const PUBLIC_PAGE_SIZE = 50;
/** Cycles whose built data stay in memory (each holds all measures of its snapshot). */
const CYCLE_VIEWS = 8;

export interface PublicPlanRef {
  code: string;
  name: string;
  region: string;
  /** The plan's words, which its pages speak. */
  vocabulary: PlanVocabulary;
}

export interface PublishedCycleRef {
  /** The code of the cycle's plan: cycle codes repeat across plans. */
  planCode: string;
  id: number;
  code: string;
  snapshotId: number;
  snapshotTakenAt: Date | string;
  version: number;
}

/** The documents of a published cycle that exist now, each the latest final one of its snapshot. */
export interface PublicDocuments {
  pdf: ImplementationReport | null;
  docx: ImplementationReport | null;
}

/** Which cycles are published now, and under which snapshot: the version every cached page depends on. */
export interface PublishedState {
  /** The first plan (the header of pages that are about no one plan), null before any plan is loaded. */
  plan: PublicPlanRef | null;
  /** Every plan of the installation, in id order. */
  plans: PublicPlanRef[];
  /** The published cycles of every plan. */
  cycles: PublishedCycleRef[];
  /**
   * Changes whenever a cycle is published, unpublished or closed anew (its version counts every transition), the
   * plan is revised or a plan setting changes (its settings version), however close together.
   */
  key: string;
}

export interface PublicGroup extends StatusBreakdown {
  code: string;
  title: string;
}

/** A published cycle's data with everything the pages derive from it, built once per snapshot. */
export interface PublicCycleView {
  data: PublicCycleData;
  byGoal: PublicGroup[];
  byField: PublicGroup[];
  byDepartment: PublicGroup[];
  measures: Map<string, PublicMeasure>;
  /** Lower-case code, title and Sachstand per measure, in the order of data.measures: what the search reads. */
  searchable: string[];
}

export interface PublicListQuery {
  q: string;
  ziel: string;
  handlungsfeld: string;
  ressort: string;
  status: string;
  seite: number;
}

export interface PublicListPage {
  items: PublicMeasure[];
  total: number;
  page: number;
  pages: number;
  pageSize: number;
}

export interface PublicHistoryEntry {
  cycle: { code: string; name: string; periodStart: string; periodEnd: string; publishedAt: string };
  measure: PublicMeasure;
}

/** A row of the state query: the plan, and one of its published cycles with a current snapshot (or nulls). */
interface StateRow {
  planId: number | string;
  planCode: string;
  planName: string;
  planRegion: string;
  /** The plan's own words as stored (simple-json: text in either database), or null. */
  planVocabulary: string | Framework['vocabulary'];
  planUpdatedAt: Date | string | null;
  planSettingsVersion: number | string;
  cycleId: number | string | null;
  cycleCode: string | null;
  cycleVersion: number | string | null;
  snapshotId: number | string | null;
  snapshotTakenAt: Date | string | null;
}

const LIST_KEYS = ['q', 'ziel', 'handlungsfeld', 'ressort', 'status'] as const;

/** The list's filters from an address's query: strings only, unknown codes dropped, the page a number ≥ 1. */
export function listQuery(raw: Record<string, unknown>, view: PublicCycleView): PublicListQuery {
  const text = (key: string): string => {
    const value = Array.isArray(raw[key]) ? (raw[key] as unknown[])[0] : raw[key];
    return typeof value === 'string' ? value.trim().slice(0, 200) : '';
  };
  const known = (value: string, codes: { code: string }[]): string =>
    codes.some((c) => c.code === value) ? value : '';
  const page = Number.parseInt(text('seite'), 10);
  const status = text('status');
  return {
    q: text('q'),
    ziel: known(text('ziel'), view.byGoal),
    handlungsfeld: known(text('handlungsfeld'), view.byField),
    ressort: known(text('ressort'), view.byDepartment),
    status: (STATUS_KEYS as readonly string[]).includes(status) ? status : '',
    seite: Number.isFinite(page) && page > 1 ? page : 1,
  };
}

/** The query string of a list address: only the filters that are set, in a fixed order (without the page). */
export function listSearch(query: PublicListQuery): string {
  const params = new URLSearchParams();
  for (const key of LIST_KEYS) if (query[key]) params.set(key, query[key]);
  return params.toString();
}

@Injectable()
export class PublicPagesService {
  private readonly views = new LruCache<Promise<PublicCycleView>>(CYCLE_VIEWS);
  private readonly listings = new LruCache<Promise<PublicCycle[]>>(4);
  private stateQuery?: [string, unknown[]];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reporting: PublicReportingService,
  ) {}

  /** The plan and its published cycles with their current snapshots: the one query a cached page costs. */
  async state(): Promise<PublishedState> {
    this.stateQuery ??= this.dataSource.manager
      .createQueryBuilder(Framework, 'f')
      .leftJoin(ReportingCycle, 'c', 'c.frameworkId = f.id AND c.state = :published', {
        published: 'published',
      })
      .leftJoin(CycleSnapshot, 's', 's.cycleId = c.id AND s.supersededAt IS NULL')
      .select('f.id', 'planId')
      .addSelect('f.code', 'planCode')
      .addSelect('f.name', 'planName')
      .addSelect('f.region', 'planRegion')
      .addSelect('f.vocabulary', 'planVocabulary')
      .addSelect('f.updatedAt', 'planUpdatedAt')
      .addSelect('f.settingsVersion', 'planSettingsVersion')
      .addSelect('c.id', 'cycleId')
      .addSelect('c.code', 'cycleCode')
      .addSelect('c.version', 'cycleVersion')
      .addSelect('s.id', 'snapshotId')
      .addSelect('s.takenAt', 'snapshotTakenAt')
      .orderBy('f.id', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .getQueryAndParameters();
    const rows = await this.dataSource.query<StateRow[]>(...this.stateQuery);
    const first = rows[0];
    if (!first) return { plan: null, plans: [], cycles: [], key: 'none' };
    // SQLite gives the time as text, PostgreSQL as a Date: either way a stable stamp.
    const stamp = (value: Date | string | null): string =>
      value instanceof Date ? value.toISOString() : (value ?? '');
    const plans = new Map<string, PublicPlanRef & { stamp: string }>();
    const cycles = new Map<string, PublishedCycleRef>();
    for (const row of rows) {
      if (!plans.has(row.planCode)) {
        plans.set(row.planCode, {
          code: row.planCode,
          name: row.planName,
          region: row.planRegion,
          vocabulary: storedVocabulary(row.planVocabulary),
          stamp: `${stamp(row.planUpdatedAt)}|s${Number(row.planSettingsVersion)}`,
        });
      }
      if (row.cycleCode == null || row.snapshotId == null) continue;
      // The newest snapshot that is not superseded is the cycle's (ordered by id, the last one wins).
      cycles.set(`${row.planCode}/${row.cycleCode}`, {
        planCode: row.planCode,
        id: Number(row.cycleId),
        code: row.cycleCode,
        snapshotTakenAt: row.snapshotTakenAt ?? '',
        snapshotId: Number(row.snapshotId),
        version: Number(row.cycleVersion),
      });
    }
    const refs = [...plans.values()].map(({ code, name, region, vocabulary }) => ({
      code,
      name,
      region,
      vocabulary,
    }));
    const list = [...cycles.values()].sort(
      (a, b) => a.planCode.localeCompare(b.planCode) || a.code.localeCompare(b.code),
    );
    const key = [
      ...[...plans.values()].map((p) => `${p.code}@${p.stamp}`),
      ...list.map((c) => `${c.planCode}/${c.code}@${c.snapshotId}@v${c.version}`),
    ].join('|');
    return { plan: refs[0], plans: refs, cycles: list, key };
  }

  /** The published cycles of a plan (by code), newest period first. */
  publishedCycles(state: PublishedState, planCode: string): Promise<PublicCycle[]> {
    return this.remember(this.listings, `${state.key}#${planCode}`, () => this.reporting.cycles(planCode));
  }

  /** The published cycle of that plan and code, if there is one now. */
  private published(
    state: PublishedState,
    planCode: string,
    cycleCode: string,
  ): PublishedCycleRef | undefined {
    return state.cycles.find((c) => c.planCode === planCode && c.code === cycleCode);
  }

  /** A published cycle of the plan with its figures; not found for another plan or any other cycle. */
  cycle(state: PublishedState, planCode: string, cycleCode: string): Promise<PublicCycleView> {
    const published = this.published(state, planCode, cycleCode);
    if (!published) {
      return Promise.reject(
        notFound(CycleError.NOT_FOUND, `Ein veröffentlichter Berichtszyklus ${cycleCode} ist nicht bekannt.`),
      );
    }
    const key = `${state.key}#${planCode}/${cycleCode}`;
    return this.remember(this.views, key, async () =>
      buildView(await this.reporting.publishedData(await this.reporting.publishedCycle(planCode, cycleCode))),
    );
  }

  /** The documents of a published cycle that can be downloaded now (none for a cycle that is not public). */
  async documents(state: PublishedState, planCode: string, cycleCode: string): Promise<PublicDocuments> {
    const published = this.published(state, planCode, cycleCode);
    if (!published) return { pdf: null, docx: null };
    const [pdf, docx] = await Promise.all(
      (['pdf', 'docx'] as const).map((format) =>
        this.reporting.finalDocument(published.id, published.snapshotTakenAt, format),
      ),
    );
    return { pdf, docx };
  }

  /** One page of the measure list, searched in code, title and Sachstand and filtered by code. */
  list(view: PublicCycleView, query: PublicListQuery): PublicListPage {
    const needle = query.q.toLocaleLowerCase('de');
    const items = view.data.measures.filter(
      (m, i) =>
        (!needle || view.searchable[i].includes(needle)) &&
        (!query.ziel || m.goals.some((g) => g.code === query.ziel)) &&
        (!query.handlungsfeld || m.actionField.code === query.handlungsfeld) &&
        (!query.ressort || m.leadDepartment.code === query.ressort) &&
        (!query.status || m.status === query.status),
    );
    const pages = Math.max(1, Math.ceil(items.length / PUBLIC_PAGE_SIZE));
    const page = Math.min(query.seite, pages);
    return {
      items: items.slice((page - 1) * PUBLIC_PAGE_SIZE, page * PUBLIC_PAGE_SIZE),
      total: items.length,
      page,
      pages,
      pageSize: PUBLIC_PAGE_SIZE,
    };
  }

  /** A measure of a published cycle; not found when the cycle's snapshot does not hold it. */
  measure(view: PublicCycleView, code: string, words: PlanVocabulary = DEFAULT_VOCABULARY): PublicMeasure {
    const measure = view.measures.get(code);
    if (!measure)
      throw notFound(
        MeasureError.NOT_FOUND,
        wordedIn(
          words,
          `Eine Maßnahme ${code} ist in diesem Berichtszyklus nicht enthalten.`,
          `${words.measure} ${code} ist in diesem Berichtszyklus nicht enthalten.`,
        ),
      );
    return measure;
  }

  /** The measure as every published cycle of its plan holds it, newest period first. */
  async history(state: PublishedState, planCode: string, code: string): Promise<PublicHistoryEntry[]> {
    const entries: PublicHistoryEntry[] = [];
    for (const published of state.cycles) {
      if (published.planCode !== planCode) continue;
      const view = await this.cycle(state, planCode, published.code);
      const measure = view.measures.get(code);
      if (!measure) continue;
      const { cycle, publishedAt } = view.data.metadata;
      entries.push({ cycle: { ...cycle, publishedAt }, measure });
    }
    return entries.sort((a, b) => b.cycle.periodStart.localeCompare(a.cycle.periodStart));
  }

  /** A value built once per key; a failed build is forgotten, so that the next request tries again. */
  private remember<V>(cache: LruCache<Promise<V>>, key: string, build: () => Promise<V>): Promise<V> {
    const held = cache.get(key);
    if (held) return held;
    const value = build();
    cache.set(key, value);
    value.catch(() => cache.delete(key));
    return value;
  }
}

function buildView(data: PublicCycleData): PublicCycleView {
  return {
    data,
    byGoal: groups(data.measures, (m) => m.goals),
    byField: groups(data.measures, (m) => [m.actionField]),
    byDepartment: groups(data.measures, (m) => [m.leadDepartment], true),
    measures: new Map(data.measures.map((m) => [m.code, m])),
    searchable: data.measures.map((m) => `${m.code}\n${m.title}\n${m.summary}`.toLocaleLowerCase('de')),
  };
}

/** Counts by status per group (a measure counts in each of its goals), in code order or, by name, departments. */
function groups(
  measures: PublicMeasure[],
  of: (m: PublicMeasure) => PublicCodeTitle[],
  byName = false,
): PublicGroup[] {
  const tallies = new Map<string, { title: string; tally: StatusTally }>();
  for (const m of measures) {
    for (const { code, title } of of(m)) {
      let group = tallies.get(code);
      if (!group) tallies.set(code, (group = { title, tally: new StatusTally() }));
      group.tally.add(m.status, m.progress);
    }
  }
  const result = [...tallies].map(([code, g]) => ({ code, title: g.title, ...g.tally.breakdown() }));
  return result.sort((a, b) =>
    byName
      ? a.title.localeCompare(b.title, 'de')
      : naturalSortKey(a.code).localeCompare(naturalSortKey(b.code)),
  );
}

/** A plan's words from the stored column (read as text by the state query); the Bremen words for the rest. */
function storedVocabulary(stored: string | Framework['vocabulary']): PlanVocabulary {
  if (!stored) return vocabularyOf(null);
  try {
    return vocabularyOf({
      vocabulary: typeof stored === 'string' ? (JSON.parse(stored) as Framework['vocabulary']) : stored,
    });
  } catch {
    return vocabularyOf(null);
  }
}
