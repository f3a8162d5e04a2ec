import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
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

  @ApiPropertyOptional({
    oneOf: [{ type: 'integer' }, { type: 'string', enum: ['installation'] }],
    description:
      'Nur Einträge eines Rahmenkonzepts (Plans); „installation“: nur Einträge der Installation selbst (Konten, Anmeldungen, Organisationen). Ohne Angabe: alle Einträge.',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @ValidateIf((query: AuditQueryDto) => query.frameworkId !== 'installation')
  @IsInt({ message: 'frameworkId muss eine Plan-ID oder „installation“ sein' })
  @Min(1)
  @Max(2_147_483_647)
  frameworkId?: number | 'installation';

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
