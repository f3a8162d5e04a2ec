/**
 * The public pages under /oeffentlich, for every visitor without sign-in: the plan with its published cycles,
 * a cycle's overview, its measure list and a page per measure. Each page is rendered once per published
 * snapshot and address and then served from memory (plain or gzip-compressed, as the browser asks) with an
 * ETag (304 when the visitor holds it) and public caching; a request costs the one query that says which
 * snapshots are published now.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  Controller,
  Get,
  NotFoundException,
  Param,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../common/auth/access.decorator.js';
import { AppConfig } from '../common/config/app-config.js';
import { DEFAULT_VOCABULARY, type PlanVocabulary } from '../framework/plans.service.js';
import { STATUS_KEYS } from '../measures/measure-rules.js';
import { legend, stackedBars } from '../web/charts.js';
import { dativePlural } from '../web/format.js';
import { LruCache } from './lru-cache.js';
import { PUBLIC_CACHE_CONTROL } from './public-open-data.controller.js';
import { PublicPageFilter } from './public-page.filter.js';
import {
  listQuery,
  listSearch,
  type PublicGroup,
  PublicPagesService,
  type PublicPlanRef,
  type PublishedState,
} from './public-pages.service.js';
import { PublicRateLimitGuard } from './public-rate-limit.guard.js';

/** Rendered pages kept in memory (each a few dozen kilobytes). */
const RENDERED_PAGES = 400;

/** A rendered page as bytes, plain and gzip-compressed (what browsers ask for), each with its validator. */
interface RenderedPage {
  body: Buffer;
  etag: string;
  gzip: Buffer;
  gzipEtag: string;
}

interface PageSpec {
  view: string;
  title: string;
  /** The address to cite: the path, with the list's filters in a fixed order. */
  canonical: string;
  locals: Record<string, unknown>;
}

const HOME = { label: 'Öffentliche Berichte', href: '/oeffentlich' };

/** The overview's charts, labelled in the plan's words ("Stand nach Zielen"); the filters keep their names. */
function chartsOf(words: PlanVocabulary) {
  return [
    {
      id: 'chart-goals',
      label: dativePlural(words.goals),
      rowHeader: words.goal,
      param: 'ziel',
      key: 'byGoal',
    },
    {
      id: 'chart-fields',
      label: dativePlural(words.fields),
      rowHeader: words.field,
      param: 'handlungsfeld',
      key: 'byField',
    },
    {
      id: 'chart-departments',
      label: dativePlural(words.organisations),
      rowHeader: words.organisation,
      param: 'ressort',
      key: 'byDepartment',
    },
  ] as const;
}

/** The words of the plan with that code; the Bremen words when there is none. */
function wordsOf(state: PublishedState, planCode: string): PlanVocabulary {
  return state.plans.find((p) => p.code === planCode)?.vocabulary ?? DEFAULT_VOCABULARY;
}

/**
 * The words of a page about these plans: the plan's, or the words every one of them shares; null when they
 * speak differently (the page then names no part of a plan).
 */
function sharedWords(plans: PublicPlanRef[]): PlanVocabulary | null {
  const [first, ...others] = plans.map((p) => p.vocabulary);
  if (!first) return DEFAULT_VOCABULARY;
  const same = (other: PlanVocabulary): boolean =>
    (Object.keys(first) as (keyof PlanVocabulary)[]).every((key) => other[key] === first[key]);
  return others.every(same) ? first : null;
}

@ApiExcludeController()
@Public()
@UseGuards(PublicRateLimitGuard)
@UseFilters(PublicPageFilter)
@Controller('oeffentlich')
export class PublicPagesController {
  private readonly rendered = new LruCache<Promise<RenderedPage>>(RENDERED_PAGES);

  constructor(
    private readonly pages: PublicPagesService,
    private readonly config: AppConfig,
  ) {}

  /** Every plan with its own published cycles. */
  @Get()
  async index(@Req() request: Request, @Res() response: Response): Promise<void> {
    const state = await this.pages.state();
    await this.listing(request, response, state, state.plans, '/oeffentlich');
  }

  /** A plan's own address lists its published cycles. */
  @Get(':plan')
  async plan(@Param('plan') plan: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const state = await this.pages.state();
    const found = state.plans.find((p) => p.code === plan);
    if (!found) throw new NotFoundException();
    await this.listing(request, response, state, [found], `/oeffentlich/${encodeURIComponent(plan)}`);
  }

  /** The plans with their published cycles, or a friendly sentence while none is published. */
  private listing(
    request: Request,
    response: Response,
    state: PublishedState,
    plans: PublicPlanRef[],
    canonical: string,
  ): Promise<void> {
    const words = sharedWords(plans);
    return this.serve(
      request,
      response,
      `index|${canonical}`,
      async () => ({
        view: 'public/index',
        title: 'Öffentliche Berichte',
        canonical,
        locals: {
          // The header names the plan when the page is about one.
          plan: plans.length === 1 ? plans[0] : null,
          vocab: words,
          reportsWord: words ? null : 'Berichte',
          groups: await Promise.all(
            plans.map(async (p) => ({ plan: p, cycles: await this.pages.publishedCycles(state, p.code) })),
          ),
        },
      }),
      state,
    );
  }

  @Get(':plan/:cycle')
  async overview(
    @Param('plan') plan: string,
    @Param('cycle') cycle: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const state = await this.pages.state();
    // The document links stand only for documents that exist: which ones do is part of the page's key.
    const documents = await this.pages.documents(state, plan, cycle);
    const found = `pdf:${documents.pdf?.id ?? '-'},docx:${documents.docx?.id ?? '-'}`;
    const key = `cycle|${plan}|${cycle}|${found}`;
    await this.serve(
      request,
      response,
      key,
      async () => {
        const view = await this.pages.cycle(state, plan, cycle);
        const words = wordsOf(state, plan);
        const base = cycleHref(plan, cycle);
        const listHref = (param: string, group: string, status: string | null): string => {
          const params = new URLSearchParams({ [param]: group });
          if (status) params.set('status', status);
          return `${base}/massnahmen?${params.toString()}`;
        };
        const charts = chartsOf(words).map((c) => {
          const groups: PublicGroup[] = view[c.key];
          return {
            ...c,
            svg: stackedBars(
              c.id,
              `${words.measures} nach Status und ${c.label}`,
              groups,
              (group, status) => listHref(c.param, group.code, status),
              words.measures,
            ),
            rows: groups.map((g) => ({ ...g, href: listHref(c.param, g.code, null) })),
          };
        });
        return {
          view: 'public/cycle',
          title: view.data.metadata.cycle.name,
          canonical: base,
          locals: {
            plan: state.plans.find((p) => p.code === plan) ?? null,
            vocab: words,
            data: view.data,
            charts,
            legend: legend('pub'),
            statusKeys: STATUS_KEYS,
            base,
            documents: { pdf: documents.pdf !== null, docx: documents.docx !== null },
            crumbs: [HOME, { label: view.data.metadata.cycle.name, href: base }],
          },
        };
      },
      state,
    );
  }

  @Get(':plan/:cycle/massnahmen')
  async list(
    @Param('plan') plan: string,
    @Param('cycle') cycle: string,
    @Query() raw: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const state = await this.pages.state();
    // The filters in canonical form (unknown codes dropped), so that equal lists share one rendered page.
    const view = await this.pages.cycle(state, plan, cycle);
    const query = listQuery(raw, view);
    const search = listSearch(query);
    const base = cycleHref(plan, cycle);
    const address = `${base}/massnahmen${search ? `?${search}` : ''}`;
    const paged = query.seite > 1 ? `${address}${search ? '&' : '?'}seite=${query.seite}` : address;
    await this.serve(
      request,
      response,
      `list|${paged}`,
      () => {
        const page = this.pages.list(view, query);
        const words = wordsOf(state, plan);
        const pageHref = (n: number): string =>
          n === 1 ? address : `${address}${search ? '&' : '?'}seite=${n}`;
        return Promise.resolve({
          view: 'public/measures',
          title: `${words.measures} ${view.data.metadata.cycle.name}`,
          canonical: page.page > 1 ? pageHref(page.page) : address,
          locals: {
            plan: state.plans.find((p) => p.code === plan) ?? null,
            vocab: words,
            data: view.data,
            view,
            q: query,
            page,
            base,
            prevHref: page.page > 1 ? pageHref(page.page - 1) : null,
            nextHref: page.page < page.pages ? pageHref(page.page + 1) : null,
            statusKeys: STATUS_KEYS,
            filtered: search !== '',
            crumbs: [
              HOME,
              { label: view.data.metadata.cycle.name, href: base },
              { label: words.measures, href: address },
            ],
          },
        });
      },
      state,
    );
  }

  @Get(':plan/:cycle/massnahmen/:measure')
  async measure(
    @Param('plan') plan: string,
    @Param('cycle') cycle: string,
    @Param('measure') code: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const base = cycleHref(plan, cycle);
    await this.serve(request, response, `measure|${base}|${code}`, async (state) => {
      const view = await this.pages.cycle(state, plan, cycle);
      const words = wordsOf(state, plan);
      const measure = this.pages.measure(view, code, words);
      return {
        view: 'public/measure',
        title: `${measure.code} ${measure.title}`,
        canonical: `${base}/massnahmen/${encodeURIComponent(code)}`,
        locals: {
          plan: state.plans.find((p) => p.code === plan) ?? null,
          vocab: words,
          data: view.data,
          measure,
          history: await this.pages.history(state, plan, code),
          base,
          planCode: plan,
          crumbs: [
            HOME,
            { label: view.data.metadata.cycle.name, href: base },
            { label: words.measures, href: `${base}/massnahmen` },
            { label: measure.code, href: '' },
          ],
        },
      };
    });
  }

  /**
   * Any other address under /oeffentlich (a deeper or misspelt one): the public 404 page, as for an unknown
   * measure, rather than the API's JSON. Declared last, so that it takes only what no route above takes.
   */
  @Get('*rest')
  unknown(): never {
    throw new NotFoundException();
  }

  /** Serves the page of `key` from memory, or builds, renders and keeps it; 304 when the visitor holds it. */
  private async serve(
    request: Request,
    response: Response,
    key: string,
    build: (state: PublishedState) => Promise<PageSpec>,
    known?: PublishedState,
  ): Promise<void> {
    const state = known ?? (await this.pages.state());
    const cacheKey = `${state.key}\n${key}`;
    // The promise is kept, so that a crowd arriving at once renders the page once.
    let pending = this.rendered.get(cacheKey);
    if (!pending) {
      pending = this.renderPage(response, state, build);
      this.rendered.set(cacheKey, pending);
      pending.catch(() => this.rendered.delete(cacheKey));
    }
    const page = await pending;
    const gzip = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
    const etag = gzip ? page.gzipEtag : page.etag;
    response.setHeader('ETag', etag);
    response.setHeader('Cache-Control', PUBLIC_CACHE_CONTROL);
    response.setHeader('Vary', 'Accept-Encoding');
    const held = (request.headers['if-none-match'] ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
    if (held.includes(etag) || held.includes('*')) {
      response.status(304).end();
      return;
    }
    if (gzip) response.setHeader('Content-Encoding', 'gzip');
    response.type('html').send(gzip ? page.gzip : page.body);
  }

  private async renderPage(
    response: Response,
    state: PublishedState,
    build: (state: PublishedState) => Promise<PageSpec>,
  ): Promise<RenderedPage> {
    const spec = await build(state);
    const html = await render(response, spec.view, {
      plan: state.plan,
      ...spec.locals,
      title: spec.title,
      canonical: `${this.config.APP_BASE_URL?.replace(/\/$/, '') ?? ''}${spec.canonical}`,
    });
    const body = Buffer.from(html, 'utf8');
    const hash = createHash('sha256').update(body).digest('base64url');
    // Compressed once here, not per request: a page is sent many times more often than it is rendered.
    return { body, etag: `"${hash}"`, gzip: gzipSync(body, { level: 9 }), gzipEtag: `"${hash}-gz"` };
  }
}

/** The address of a published cycle's overview. */
export function cycleHref(plan: string, cycle: string): string {
  return `/oeffentlich/${encodeURIComponent(plan)}/${encodeURIComponent(cycle)}`;
}

function render(response: Response, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => {
    response.app.render(view, locals, (error: Error | null, html?: string) =>
      error ? reject(error) : resolve(html ?? ''),
    );
  });
}
