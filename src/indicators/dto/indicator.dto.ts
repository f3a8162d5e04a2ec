import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';

const YEAR = { context: { german: 'muss eine Jahreszahl (JJJJ) sein' } };
const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreateIndicatorValueDto {
  @ApiProperty({ example: 2023 }) @IsInt(YEAR) @Min(1900, YEAR) @Max(2200, YEAR) year: number;
  @ApiProperty({ example: 'gesamt' }) @IsString() @Transform(trim) @MinLength(1) @MaxLength(60) group: string;
  @ApiProperty() @IsNumber({ allowNaN: false, allowInfinity: false }) value: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) note?: string;
}

export class UpdateIndicatorValueDto {
  @ApiProperty() @IsInt() @Min(1) @Max(2_147_483_647) version: number;
  @ApiProperty() @IsNumber({ allowNaN: false, allowInfinity: false }) value: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) note?: string;
}

export class UpdateIndicatorDto {
  @ApiProperty() @IsInt() @Min(1) @Max(2_147_483_647) version: number;
  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsInt(YEAR)
  @Min(1900, YEAR)
  @Max(2200, YEAR)
  baselineYear?: number | null;
  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  baselineValue?: number | null;
  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsInt(YEAR)
  @Min(1900, YEAR)
  @Max(2200, YEAR)
  targetYear?: number | null;
  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  targetValue?: number | null;
}
