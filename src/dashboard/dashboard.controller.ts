import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AnyRole } from '../common/auth/access.decorator.js';
import { DashboardQueryDto } from './dashboard-query.dto.js';
import { DashboardResponse } from './dashboard.response.js';
import { DashboardService } from './dashboard.service.js';

@ApiTags('Dashboard')
@ApiBearerAuth()
@Controller('api/dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @AnyRole()
  @ApiOperation({
    summary:
      'Stand nach Status, Zielen, Handlungsfeldern und Ressorts; Vollständigkeit, Aktualität, Fristen, Veränderungen',
    description:
      'Gleiche Anfragen ohne zwischenzeitliche Änderung der Daten teilen sich eine Berechnung; ' +
      '`Cache-Control: no-cache` berechnet neu.',
  })
  @ApiOkResponse({
    type: DashboardResponse,
    description: 'Das Dashboard als JSON (vorab serialisiert, Felder wie beschrieben)',
  })
  async get(
    @Query() query: DashboardQueryDto,
    @Res({ passthrough: true }) response: Response,
    @Headers('cache-control') cacheControl?: string,
  ): Promise<string> {
    const json = await this.dashboard.currentJson(query, { fresh: /no-cache/i.test(cacheControl ?? '') });
    response.type('application/json');
    return json;
  }
}
