/**
 * Open data of the published cycles, without sign-in: the list of published cycles and each cycle's measures
 * as CSV and JSON (licence and metadata in both). Answers carry an ETag and may be cached publicly, revalidated
 * on every use; a matching If-None-Match is answered with 304. Requests are limited per address.
 */
import { createHash } from 'node:crypto';
import { Controller, Get, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../common/auth/access.decorator.js';
import { ApiFileResponse } from '../common/http/openapi-responses.js';
import { fileNameWord } from '../excel/plan-words.js';
import { vocabularyOf } from '../framework/plans.service.js';
import { publicCsv } from './public-csv.js';
import { PublicRateLimitGuard } from './public-rate-limit.guard.js';
import { PublicReportingService } from './public-reporting.service.js';
import { PublicCycleDataResponse, PublicCycleResponse } from './public.response.js';

/**
 * Anyone may keep a public answer, but must ask again (with its ETag) before reusing it: unpublishing a cycle
 * takes effect at once, and an unchanged answer costs a 304.
 */
export const PUBLIC_CACHE_CONTROL = 'public, no-cache';

/** Sends `body` with a strong ETag and public caching, or 304 when the client holds the same version. */
/** The plan a request names by code (`?plan=`), if any: the first value when the parameter repeats. */
function planParam(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

const PLAN_QUERY = {
  name: 'plan',
  required: false,
  description:
    'Code des Rahmenkonzepts; nötig, wenn mehrere Rahmenkonzepte einen veröffentlichten Zyklus mit diesem Code haben',
} as const;

export function sendCacheable(request: Request, response: Response, type: string, body: string): void {
  const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
  response.setHeader('ETag', etag);
  response.setHeader('Cache-Control', PUBLIC_CACHE_CONTROL);
  const held = (request.headers['if-none-match'] ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (held.includes(etag) || held.includes('*')) {
    response.status(304).end();
    return;
  }
  response.type(type).send(body);
}

@ApiTags('Öffentliche Daten')
@Public()
@UseGuards(PublicRateLimitGuard)
@Controller('api/public')
export class PublicOpenDataController {
  constructor(private readonly reporting: PublicReportingService) {}

  @Get('cycles')
  @ApiOperation({ summary: 'Veröffentlichte Berichtszyklen (ohne Anmeldung)' })
  @ApiOkResponse({ type: PublicCycleResponse, isArray: true })
  @ApiQuery({ ...PLAN_QUERY, description: 'Code des Rahmenkonzepts: nur dessen Zyklen' })
  async cycles(
    @Query('plan') plan: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const cycles = await this.reporting.cycles(planParam(plan));
    sendCacheable(request, response, 'application/json; charset=utf-8', JSON.stringify(cycles));
  }

  @Get('cycles/:code/measures.json')
  @ApiOperation({
    summary: 'Maßnahmen eines veröffentlichten Zyklus als JSON (Datenlizenz Deutschland – Namensnennung 2.0)',
  })
  @ApiOkResponse({
    type: PublicCycleDataResponse,
    description:
      'Schema-Version in metadata.schemaVersion (1.1: wahlweise obstacles, nextSteps und budget je Maßnahme)',
  })
  @ApiQuery(PLAN_QUERY)
  async json(
    @Param('code') code: string,
    @Query('plan') plan: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const data = await this.reporting.cycleData(code, planParam(plan));
    sendCacheable(request, response, 'application/json; charset=utf-8', JSON.stringify(data));
  }

  @Get('cycles/:code/measures.csv')
  @ApiOperation({
    summary:
      'Maßnahmen eines veröffentlichten Zyklus als CSV (UTF-8 mit BOM, Semikolon; Metadaten und Lizenz in den letzten Spalten)',
  })
  @ApiFileResponse('text/csv', 'CSV-Datei')
  @ApiQuery(PLAN_QUERY)
  async csv(
    @Param('code') code: string,
    @Query('plan') plan: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const published = await this.reporting.publishedCycle(planParam(plan) ?? null, code);
    const data = await this.reporting.publishedData(published);
    const words = vocabularyOf(published.plan);
    // "massnahmen-2024-2025.csv" in the Bremen words.
    const fileName = `${fileNameWord(words.measures).toLowerCase()}-${data.metadata.cycle.code}.csv`;
    response.setHeader('Content-Disposition', `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`);
    sendCacheable(request, response, 'text/csv; charset=utf-8', publicCsv(data, words));
  }
}
