import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsEmail,
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
import { StrongPassword } from '../password-policy.js';
import { ROLES, type Role } from '../user.entity.js';

const normaliseEmail = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;
const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class LoginDto {
  @ApiProperty({ example: 'admin@demo.local' })
  @Transform(normaliseEmail)
  @IsString()
  @MaxLength(254)
  @MinLength(3)
  email: string;

  @ApiProperty({ example: 'demo1234' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class CreateUserDto {
  @ApiProperty()
  @Transform(normaliseEmail)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  displayName: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ description: 'Pflicht für editor, leer für admin und viewer' })
  @ValidateIf(
    (o: CreateUserDto) => o.role === 'editor' || (o.departmentId !== undefined && o.departmentId !== null),
  )
  @IsDefined({ context: { german: 'ist für die Rolle editor ein Pflichtfeld' } })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  departmentId?: number | null;

  @ApiProperty({ description: 'mindestens 10 Zeichen, drei Zeichenarten' })
  @StrongPassword()
  password: string;
}

export class UpdateUserDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  displayName?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_o, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  departmentId?: number | null;

  @ApiPropertyOptional({ description: 'false deaktiviert das Konto sofort, auch bestehende Anmeldungen' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ChangePasswordDto {
  @ApiProperty({ description: 'das bisherige Passwort' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  currentPassword: string;

  @ApiProperty({ description: 'mindestens 10 Zeichen, drei Zeichenarten' })
  @StrongPassword()
  newPassword: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'mindestens 10 Zeichen, drei Zeichenarten' })
  @StrongPassword()
  password: string;
}
