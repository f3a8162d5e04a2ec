import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { MEASURE_LEVELS, type MeasureLevel } from '../measures/measure.constants.js';

const toIntList = ({ value }: { value: unknown }): unknown => {
  const list = typeof value === 'string' ? value.split(',').filter((v) => v !== '') : value;
  return Array.isArray(list)
    ? list.map((v: unknown) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v))
    : list;
};
const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.split(',').filter((v) => v !== '') : value;

export class DashboardQueryDto {
  @ApiPropertyOptional({ description: 'Ziel-ID(s)' })
  @IsOptional()
  @Transform(toIntList)
  @IsArray()
  @ArrayMaxSize(50)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(2_147_483_647, { each: true })
  goalId?: number[];

  @ApiPropertyOptional({ description: 'Handlungsfeld-ID(s)' })
  @IsOptional()
  @Transform(toIntList)
  @IsArray()
  @ArrayMaxSize(50)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(2_147_483_647, { each: true })
  actionFieldId?: number[];

  @ApiPropertyOptional({ description: 'federführende Ressort-ID(s)' })
  @IsOptional()
  @Transform(toIntList)
  @IsArray()
  @ArrayMaxSize(50)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(2_147_483_647, { each: true })
  departmentId?: number[];

  @ApiPropertyOptional({ enum: MEASURE_LEVELS })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @IsIn(MEASURE_LEVELS, { each: true })
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
