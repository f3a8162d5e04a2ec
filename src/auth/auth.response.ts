/** The documented JSON of sign-in, the signed-in account and accounts (see auth.service.ts, users.service.ts). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AllMirror, Mirrors } from '../common/http/openapi-responses.js';
import type { Actor } from '../common/context/request-context.js';
import type { LoginResult } from './auth.service.js';
import { type Role, ROLES } from './user.entity.js';
import type { UserView } from './users.service.js';

/** An account's rights in one plan. */
export class MembershipResponse {
  @ApiProperty({ type: 'integer', description: 'der Plan (Rahmenkonzept)' })
  frameworkId: number;

  @ApiProperty({ enum: [...ROLES] })
  role: Role;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Ressort eines editor-Kontos' })
  departmentId: number | null;
}

/** The signed-in account as the API knows it: `role`/`departmentId` hold in the request's plan. */
export class ActorResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty()
  email: string;

  @ApiProperty()
  displayName: string;

  @ApiProperty({ enum: [...ROLES] })
  role: Role;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Ressort eines editor-Kontos' })
  departmentId: number | null;

  @ApiPropertyOptional({ description: 'verwaltet Konten und Pläne; in jedem Plan Administration' })
  installationAdmin?: boolean;

  @ApiPropertyOptional({ type: [MembershipResponse], description: 'Rollen je Plan' })
  memberships?: MembershipResponse[];
}

export class LoginResponse {
  @ApiProperty({ description: 'Bearer-Token für den Authorization-Header' })
  accessToken: string;

  @ApiProperty({ type: 'integer', description: 'Gültigkeit in Sekunden' })
  expiresIn: number;

  @ApiProperty({ type: ActorResponse })
  user: ActorResponse;
}

export class UserResponse extends ActorResponse {
  @ApiProperty({ description: 'verwaltet Konten und Pläne; in jedem Plan Administration' })
  declare installationAdmin: boolean;

  @ApiProperty({ type: [MembershipResponse], description: 'Rollen je Plan' })
  declare memberships: MembershipResponse[];

  @ApiProperty()
  active: boolean;

  @ApiProperty({ description: 'Demo-Konto (nur im Demo-Modus)' })
  isDemo: boolean;

  @ApiProperty({ type: 'integer' })
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

/** Compile-time proof that the classes above document exactly what the services return. */
export type AuthResponsesMirror = AllMirror<
  [
    Mirrors<MembershipResponse, NonNullable<Actor['memberships']>[number]>,
    Mirrors<ActorResponse, Actor>,
    Mirrors<ActorResponse, LoginResult['user']>,
    Mirrors<LoginResponse, LoginResult>,
    Mirrors<UserResponse, UserView>,
  ]
>;
