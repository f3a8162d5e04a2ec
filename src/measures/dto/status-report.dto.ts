import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { DateField } from '../../common/http/dto-fields.js';
import { MEASURE_STATUSES, type MeasureStatus } from '../measure.constants.js';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreateStatusReportDto {
  @ApiProperty({ enum: MEASURE_STATUSES })
  @IsIn(MEASURE_STATUSES)
  status: MeasureStatus;

  @ApiProperty({ minimum: 0, maximum: 100 })
  @IsInt()
  @Min(0)
  @Max(100)
  progress: number;

  @ApiProperty({ description: 'Sachstand' })
  @IsString()
  @Transform(trim)
  @MinLength(10)
  @MaxLength(4000)
  summary: string;

  @ApiPropertyOptional({ description: 'Hindernisse' })
  @IsOptional()
  @IsString()
  @Transform(trim)
  @MaxLength(4000)
  obstacles?: string;

  @ApiPropertyOptional({ description: 'Nächste Schritte' })
  @IsOptional()
  @IsString()
  @Transform(trim)
  @MaxLength(4000)
  nextSteps?: string;

  @ApiPropertyOptional({ description: 'Die zurückgegebene Meldung, die diese korrigiert' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  correctsReportId?: number;

  @ApiPropertyOptional({ description: 'Stichtag der Meldung (JJJJ-MM-TT), Standard: heute' })
  @IsOptional()
  @DateField()
  reportedAt?: string;
}

export class ReviewStatusReportDto {
  @ApiProperty({ enum: ['accept', 'return'] })
  @IsIn(['accept', 'return'])
  decision: 'accept' | 'return';

  @ApiPropertyOptional({ description: 'Pflicht bei Rückgabe' })
  @ValidateIf((o: ReviewStatusReportDto) => o.decision === 'return' || o.comment !== undefined)
  @IsString()
  @Transform(trim)
  @MinLength(3)
  @MaxLength(2000)
  comment?: string;
}

/** The most reports one bulk review takes (the review page shows up to 100 at a time). */
export const BULK_REVIEW_MAX = 200;

export class BulkReviewStatusReportsDto extends ReviewStatusReportDto {
  @ApiProperty({
    type: [Number],
    description: `Die Meldungen, alle mit derselben Entscheidung (1 bis ${BULK_REVIEW_MAX}, jede einmal)`,
    example: [12, 15, 17],
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(BULK_REVIEW_MAX)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(2_147_483_647, { each: true })
  ids: number[];
}

export class PageQueryDto {
  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page?: number;

  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;
}

export class ReviewQueueQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['submitted', 'accepted', 'returned'], default: 'submitted' })
  @IsOptional()
  @IsIn(['submitted', 'accepted', 'returned'])
  reviewState?: 'submitted' | 'accepted' | 'returned';

  @ApiPropertyOptional({ description: 'Nur Meldungen zu Maßnahmen dieses federführenden Ressorts' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  departmentId?: number;

  @ApiPropertyOptional({ description: 'Nur Meldungen zu Maßnahmen dieses Handlungsfelds' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  actionFieldId?: number;
  @ApiPropertyOptional({
    type: 'integer',
    description:
      'Das Rahmenkonzept (der Plan), dessen Meldungen gelesen werden; nötig, wenn die Installation mehrere Pläne führt (sonst FRAMEWORK.PLAN_REQUIRED)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  frameworkId?: number;
}
