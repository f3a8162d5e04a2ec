import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../common/http/openapi-responses.js';
import { StatusReportResponse } from './measure.response.js';
import { AnyRole, Roles } from '../common/auth/access.decorator.js';
import { CurrentActor } from '../common/auth/current-actor.decorator.js';
import type { Actor } from '../common/context/request-context.js';
import { IdPipe } from '../common/http/id.pipe.js';
import {
  BulkReviewStatusReportsDto,
  ReviewQueueQueryDto,
  ReviewStatusReportDto,
} from './dto/status-report.dto.js';
import { type BulkReviewResult, BulkReviewResponse } from './status-review.response.js';
import type { StatusReportView } from './measure.view.js';
import type { Page } from '../common/paging.js';
import { StatusReportsService } from './status-reports.service.js';
import { PlanOf } from '../common/auth/plan-of.decorator.js';
import { Measure } from '../measures/measure.entity.js';
import { StatusReport } from '../measures/status-report.entity.js';

@ApiTags('Sachstandsmeldungen')
@ApiBearerAuth()
@Controller('api/status-reports')
export class StatusReportsController {
  constructor(private readonly reports: StatusReportsService) {}

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'Meldungen nach Prüfstatus (Prüfliste: submitted, älteste zuerst)' })
  @ApiPageResponse(StatusReportResponse)
  list(@Query() query: ReviewQueueQueryDto): Promise<Page<StatusReportView>> {
    return this.reports.list(query);
  }

  @Get(':id')
  @PlanOf(StatusReport, { param: 'id', via: { column: 'measureId', entity: Measure } })
  @AnyRole()
  @ApiOperation({ summary: 'Eine Meldung' })
  @ApiOkResponse({ type: StatusReportResponse })
  get(@Param('id', IdPipe) id: number): Promise<StatusReportView> {
    return this.reports.get(id);
  }

  @Post('review')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mehrere Meldungen auf einmal annehmen oder zurückgeben (alle oder keine)',
    description:
      'Jede Meldung wird wie bei der einzelnen Prüfung geprüft. Kann eine nicht geprüft werden (bereits geprüft, ' +
      'nicht vorhanden, Berichtszyklus abgeschlossen), wird keine geprüft: 409 STATUS_REPORT.REVIEW_REFUSED, ' +
      'unter details jede betroffene Meldung mit Code und Grund.',
  })
  @ApiOkResponse({ type: BulkReviewResponse })
  reviewMany(
    @Body() dto: BulkReviewStatusReportsDto,
    @CurrentActor() actor: Actor,
  ): Promise<BulkReviewResult> {
    return this.reports.reviewMany(dto, actor);
  }

  @Post(':id/review')
  @PlanOf(StatusReport, { param: 'id', via: { column: 'measureId', entity: Measure } })
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Meldung annehmen oder mit Kommentar zurückgeben' })
  @ApiOkResponse({ type: StatusReportResponse })
  review(
    @Param('id', IdPipe) id: number,
    @Body() dto: ReviewStatusReportDto,
    @CurrentActor() actor: Actor,
  ): Promise<StatusReportView> {
    return this.reports.review(id, dto, actor);
  }
}
