import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IdListQuery, toList } from '../common/http/dto-fields.js';
import { type MeasureLevel } from '../measures/measure.constants.js';
import { PlanQueryDto } from '../framework/plan-query.dto.js';

export class DashboardQueryDto extends PlanQueryDto {
  @ApiPropertyOptional({ description: 'Ziel-ID(s)' })
  @IsOptional()
  @IdListQuery()
  goalId?: number[];

  @ApiPropertyOptional({ description: 'Handlungsfeld-ID(s)' })
  @IsOptional()
  @IdListQuery()
  actionFieldId?: number[];

  @ApiPropertyOptional({ description: 'federführende Ressort-ID(s)' })
  @IsOptional()
  @IdListQuery()
  departmentId?: number[];

  @ApiPropertyOptional({
    description: 'Ebene(n) des Plans, kommagetrennt (Bremen: land, bremen, bremerhaven)',
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @IsString({ each: true })
  @MaxLength(30, { each: true })
  level?: MeasureLevel[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(60)
  targetGroup?: string;

  @ApiPropertyOptional({
    description: 'Berichtszyklus: ein abgeschlossener wird aus seinem eingefrorenen Stand gezeigt',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  cycleId?: number;
}
