/** The plan a list is read for: `?frameworkId=…`, needed once the installation runs several plans. */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { IdField } from '../common/http/dto-fields.js';

export class PlanQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    description:
      'Das Rahmenkonzept (der Plan), dessen Einträge gelesen werden; nötig, wenn die Installation mehrere Pläne führt (sonst FRAMEWORK.PLAN_REQUIRED)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @IdField()
  frameworkId?: number;
}
