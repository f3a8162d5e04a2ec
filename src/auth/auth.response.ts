/** The documented JSON of sign-in, the signed-in account and accounts (see auth.service.ts, users.service.ts). */
import { ApiProperty } from '@nestjs/swagger';
import type { AllMirror, Mirrors } from '../common/http/openapi-responses.js';
import type { Actor } from '../common/context/request-context.js';
import type { LoginResult } from './auth.service.js';
import { type Role, ROLES } from './user.entity.js';
import type { UserView } from './users.service.js';

/** The signed-in account as the API knows it. */
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
    Mirrors<ActorResponse, Actor>,
    Mirrors<ActorResponse, LoginResult['user']>,
    Mirrors<LoginResponse, LoginResult>,
    Mirrors<UserResponse, UserView>,
  ]
>;
