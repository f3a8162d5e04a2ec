/**
 * The published Umsetzungsbericht as a document, without sign-in: the latest PDF or DOCX an admin generated
 * from the cycle's current snapshot, at a stable address of plan and cycle
 * (`/oeffentlich/bremen-rk-2021/2024-2025/umsetzungsbericht.pdf`). Only a published cycle has one; a cycle
 * that is not published, or whose document was not generated since its close, is answered with the public 404
 * page.
 */
import { Controller, Get, Param, Res, StreamableFile, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/auth/access.decorator.js';
import { notFound } from '../common/http/domain-errors.js';
import { wordedIn, fileNameWord } from '../excel/plan-words.js';
import { ReportError } from '../excel/report-errors.js';
import { vocabularyOf } from '../framework/plans.service.js';
import { ImplementationReportsService } from '../reporting/implementation-reports.service.js';
import { PUBLIC_CACHE_CONTROL } from './public-open-data.controller.js';
import { PublicPageFilter } from './public-page.filter.js';
import { PublicRateLimitGuard } from './public-rate-limit.guard.js';
import { type PublicDocumentFormat, PublicReportingService } from './public-reporting.service.js';

const TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
} as const;

@ApiExcludeController()
@Public()
@UseGuards(PublicRateLimitGuard)
@UseFilters(PublicPageFilter)
@Controller('oeffentlich')
export class PublicDocumentsController {
  constructor(
    private readonly reporting: PublicReportingService,
    private readonly reports: ImplementationReportsService,
  ) {}

  @Get(':plan/:cycle/umsetzungsbericht.pdf')
  pdf(
    @Param('plan') plan: string,
    @Param('cycle') cycle: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    return this.document(plan, cycle, 'pdf', response);
  }

  @Get(':plan/:cycle/umsetzungsbericht.docx')
  docx(
    @Param('plan') plan: string,
    @Param('cycle') cycle: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    return this.document(plan, cycle, 'docx', response);
  }

  private async document(
    planCode: string,
    cycleCode: string,
    format: PublicDocumentFormat,
    response: Response,
  ): Promise<StreamableFile> {
    const { plan, cycle, snapshot } = await this.reporting.publishedCycle(planCode, cycleCode);
    const report = await this.reporting.finalDocument(cycle.id, snapshot.takenAt, format);
    // From the database, whichever instance built it; a document from before that, from the reports folder.
    const content = report ? await this.reports.content(report) : null;
    const words = vocabularyOf(plan);
    if (!report || !content)
      throw notFound(
        ReportError.NOT_FOUND,
        wordedIn(
          words,
          `Für den Berichtszyklus ${cycleCode} liegt kein Umsetzungsbericht als ${format.toUpperCase()} vor.`,
          `${words.report} als ${format.toUpperCase()} liegt für den Berichtszyklus ${cycleCode} nicht vor.`,
        ),
      );
    response.setHeader('Cache-Control', PUBLIC_CACHE_CONTROL);
    response.setHeader('ETag', `"${report.sha256}"`);
    // "Umsetzungsbericht-bremen-rk-2021-2024-2025.pdf" in the Bremen words.
    const fileName = `${fileNameWord(words.report)}-${plan.code}-${cycle.code}.${format}`;
    return new StreamableFile(content, {
      type: TYPES[format],
      length: report.sizeBytes,
      disposition: `inline; filename="${fileName.replace(/[^\w.-]/g, '_')}"`,
    });
  }
}
