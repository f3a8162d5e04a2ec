import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole } from '../common/auth/access.decorator.js';
import { DashboardQueryDto } from './dashboard-query.dto.js';
import { type Dashboard, DashboardService } from './dashboard.service.js';

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
  })
  get(@Query() query: DashboardQueryDto): Promise<Dashboard> {
    return this.dashboard.build(query);
  }
}
