import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '../measures/dto/status-report.dto.js';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

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
  @Matches(DATE, { context: { german: 'muss ein Datum im Format JJJJ-MM-TT sein' } })
  from?: string;

  @ApiPropertyOptional({ description: 'bis einschließlich Datum (JJJJ-MM-TT)' })
  @IsOptional()
  @Matches(DATE, { context: { german: 'muss ein Datum im Format JJJJ-MM-TT sein' } })
  to?: string;
}
