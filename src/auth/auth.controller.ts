import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ActorResponse, LoginResponse } from './auth.response.js';
import type { Request } from 'express';
import { AnyRole, Public } from '../common/auth/access.decorator.js';
import { CurrentActor } from '../common/auth/current-actor.decorator.js';
import type { Actor } from '../common/context/request-context.js';
import { AuthService, type LoginResult } from './auth.service.js';
import { ChangePasswordDto, LoginDto } from './dto/auth.dto.js';

@ApiTags('Anmeldung')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Anmelden; liefert ein Bearer-Token' })
  @ApiOkResponse({ type: LoginResponse })
  login(@Body() dto: LoginDto, @Req() request: Request): Promise<LoginResult> {
    return this.auth.login(dto.email, dto.password, request.ip ?? '');
  }

  @Post('logout')
  @AnyRole()
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Abmelden: beendet alle Anmeldungen dieses Kontos' })
  @ApiNoContentResponse({ description: 'Abgemeldet' })
  async logout(@CurrentActor() actor: Actor): Promise<void> {
    await this.auth.logout(actor);
  }

  @Post('password')
  @AnyRole()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Eigenes Passwort ändern (mit dem bisherigen); beendet alle anderen Anmeldungen, liefert ein neues Token',
  })
  @ApiOkResponse({ type: LoginResponse })
  changePassword(
    @CurrentActor() actor: Actor,
    @Body() dto: ChangePasswordDto,
    @Req() request: Request,
  ): Promise<LoginResult> {
    return this.auth.changePassword(actor, dto.currentPassword, dto.newPassword, request.ip ?? '');
  }

  @Get('me')
  @AnyRole()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Das angemeldete Konto' })
  @ApiOkResponse({ type: ActorResponse })
  me(@CurrentActor() actor: Actor): Actor {
    return actor;
  }
}
