import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DateField } from '../common/http/dto-fields.js';
import { PageQueryDto } from '../measures/dto/status-report.dto.js';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'z. B. Measure, StatusReport, User, Session' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  entity?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(60)
  entityId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  userId?: number;

  @ApiPropertyOptional({ description: 'create, update, lifecycle, review, login, login_failed, …' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  action?: string;

  @ApiPropertyOptional({ description: 'ab Datum (JJJJ-MM-TT)' })
  @IsOptional()
  @DateField()
  from?: string;

  @ApiPropertyOptional({ description: 'bis einschließlich Datum (JJJJ-MM-TT)' })
  @IsOptional()
  @DateField()
  to?: string;
}
