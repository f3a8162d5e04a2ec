import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/access.decorator.js';
import { CurrentActor } from '../../common/auth/current-actor.decorator.js';
import type { Actor } from '../../common/context/request-context.js';
import { IdPipe } from '../../common/http/id.pipe.js';
import { PlanQueryDto } from '../plan-query.dto.js';
import { FrameworkRevision } from './framework-revision.entity.js';
import { FrameworkRevisionResponse, RevisionOutcomeResponse } from './framework-revision.response.js';
import { authorOf, FrameworkRevisionsService, type RevisionOutcome } from './framework-revisions.service.js';
import { RevisionDto } from './revision-changes.js';
import { PlanOf } from '../../common/auth/plan-of.decorator.js';

/** Fortschreibungen of the framework: list, preview (rolled back) and apply. Admins only. */
@ApiTags('Rahmenkonzept')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/framework/revisions')
export class FrameworkRevisionsController {
  constructor(private readonly revisions: FrameworkRevisionsService) {}

  @Get()
  @ApiOperation({ summary: 'Fortschreibungen des Rahmenkonzepts, neueste zuerst' })
  @ApiOkResponse({ type: FrameworkRevisionResponse, isArray: true })
  list(@Query() query: PlanQueryDto): Promise<FrameworkRevision[]> {
    return this.revisions.list(query.frameworkId);
  }

  @Get(':id')
  @PlanOf(FrameworkRevision, { param: 'id' })
  @ApiOperation({ summary: 'Eine Fortschreibung' })
  @ApiOkResponse({ type: FrameworkRevisionResponse })
  get(@Param('id', IdPipe) id: number): Promise<FrameworkRevision> {
    return this.revisions.get(id);
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Vorschau einer Fortschreibung: derselbe Lauf, zurückgerollt; listet jede berührte Maßnahme, jedes Konto und Gremium',
  })
  @ApiOkResponse({ type: RevisionOutcomeResponse })
  preview(@Body() dto: RevisionDto, @CurrentActor() actor: Actor): Promise<RevisionOutcome> {
    return this.revisions.run(dto, authorOf(actor), { dryRun: true });
  }

  @Post()
  @ApiOperation({ summary: 'Fortschreibung übernehmen (eine Transaktion, alles oder nichts)' })
  @ApiCreatedResponse({ type: RevisionOutcomeResponse })
  apply(@Body() dto: RevisionDto, @CurrentActor() actor: Actor): Promise<RevisionOutcome> {
    return this.revisions.run(dto, authorOf(actor), { dryRun: false });
  }
}
