import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole } from '../common/auth/access.decorator.js';
import { CurrentActor } from '../common/auth/current-actor.decorator.js';
import type { Actor } from '../common/context/request-context.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { JobResponse } from './jobs.response.js';
import { JobsService, type JobView, toJobView } from './jobs.service.js';

@ApiTags('Aufträge')
@ApiBearerAuth()
@Controller('api/jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'Die letzten 50 Aufträge: die eigenen, für die Koordinierungsstelle alle' })
  @ApiOkResponse({ type: JobResponse, isArray: true })
  async list(@CurrentActor() actor: Actor): Promise<JobView[]> {
    return (await this.jobs.listFor(actor)).map(toJobView);
  }

  @Get(':id')
  @AnyRole()
  @ApiOperation({
    summary: 'Ein Auftrag mit Stand, Fortschritt und Ergebnis (eigene; Koordinierungsstelle alle)',
  })
  @ApiOkResponse({ type: JobResponse })
  async get(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor): Promise<JobView> {
    return toJobView(await this.jobs.findFor(id, actor));
  }
}
