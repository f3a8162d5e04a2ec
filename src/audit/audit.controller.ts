import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../common/http/openapi-responses.js';
import { AuditEntryResponse } from './audit.response.js';
import { Roles } from '../common/auth/access.decorator.js';
import type { Page } from '../common/paging.js';
import type { AuditEntry } from './audit-entry.entity.js';
import { AuditQueryDto } from './audit-query.dto.js';
import { AuditService } from './audit.service.js';

@ApiTags('Protokoll')
@ApiBearerAuth()
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Änderungsprotokoll, neueste zuerst' })
  @ApiPageResponse(AuditEntryResponse)
  list(@Query() query: AuditQueryDto): Promise<Page<AuditEntry>> {
    return this.audit.list(query);
  }
}
