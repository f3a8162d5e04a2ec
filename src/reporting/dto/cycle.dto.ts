import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { DateField, IdField } from '../../common/http/dto-fields.js';
import { CYCLE_STATES, type CycleState } from '../reporting-cycle.entity.js';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreateCycleDto {
  @ApiPropertyOptional({
    type: 'integer',
    description: 'Das Rahmenkonzept (der Plan) des Zyklus; nötig, wenn die Installation mehrere Pläne führt',
  })
  @IsOptional()
  @IdField()
  frameworkId?: number;

  @ApiProperty({ example: '2028-2029' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9.\-_]*$/, {
    context: { german: 'darf nur Buchstaben, Ziffern, Punkt, Bindestrich und Unterstrich enthalten' },
  })
  @MaxLength(40)
  code: string;

  @ApiProperty({ example: 'Umsetzungsbericht 2028–2029' })
  @IsString()
  @Transform(trim)
  @MinLength(3)
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: '2028-01-01' })
  @DateField()
  periodStart: string;

  @ApiProperty({ example: '2029-12-31' })
  @DateField()
  periodEnd: string;

  @ApiProperty({ example: '2030-01-31', description: 'Meldeschluss' })
  @DateField()
  inputDeadline: string;

  @ApiPropertyOptional({ example: '2030-03-31', nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @DateField()
  publicationTarget?: string | null;
}

export class UpdateCycleDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Transform(trim)
  @MinLength(3)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @DateField()
  periodStart?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @DateField()
  periodEnd?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @DateField()
  inputDeadline?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @DateField()
  publicationTarget?: string | null;
}

export class TransitionCycleDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version: number;

  @ApiProperty({ enum: CYCLE_STATES, description: 'Zielzustand' })
  @IsIn(CYCLE_STATES)
  to: CycleState;

  @ApiPropertyOptional({
    description:
      'Begründung, Pflicht (mindestens 5 Zeichen) beim Wiedereröffnen (closed → reviewing) und beim Zurücknehmen der Veröffentlichung (published → closed)',
  })
  @IsOptional()
  @IsString()
  @Transform(trim)
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({
    description:
      'Nur beim Veröffentlichen: Hindernisse und nächste Schritte der angenommenen Meldungen mit veröffentlichen (Standard: false)',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  publicReportTexts?: boolean;
}

export class VersionDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version: number;
}

export class ReopenCycleDto extends VersionDto {
  @ApiProperty({ description: 'Begründung (Pflicht)' })
  @IsString()
  @Transform(trim)
  @MinLength(5)
  @MaxLength(2000)
  reason: string;
}

export class DepartmentFilterDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  departmentId?: number;
}
