import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
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
  ValidateNested,
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

/** An account's rights in one plan: its role there and, for an editor, the organisation it writes for. */
export class MembershipDto {
  @ApiProperty({ description: 'der Plan (Rahmenkonzept)' })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  frameworkId: number;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ nullable: true, description: 'Pflicht für editor, leer für admin und viewer' })
  @ValidateIf(
    (o: MembershipDto) => o.role === 'editor' || (o.departmentId !== undefined && o.departmentId !== null),
  )
  @IsDefined({ context: { german: 'ist für die Rolle editor ein Pflichtfeld' } })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  departmentId?: number | null;
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

  @ApiPropertyOptional({
    enum: ROLES,
    description: 'Rolle im Plan der Anfrage (dem einzigen Plan); entfällt, wenn memberships angegeben sind',
  })
  @ValidateIf(
    (o: CreateUserDto) =>
      o.role !== undefined || (o.memberships === undefined && o.installationAdmin !== true),
  )
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ type: [MembershipDto], description: 'Rollen je Plan' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => MembershipDto)
  memberships?: MembershipDto[];

  @ApiPropertyOptional({ description: 'verwaltet Konten und Pläne; in jedem Plan Administration' })
  @IsOptional()
  @IsBoolean()
  installationAdmin?: boolean;

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

  @ApiPropertyOptional({ type: [MembershipDto], description: 'Rollen je Plan; ersetzt die bisherigen' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => MembershipDto)
  memberships?: MembershipDto[];

  @ApiPropertyOptional({ description: 'verwaltet Konten und Pläne; in jedem Plan Administration' })
  @IsOptional()
  @IsBoolean()
  installationAdmin?: boolean;

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
