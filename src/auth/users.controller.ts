import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../common/http/openapi-responses.js';
import { UserResponse } from './auth.response.js';
import { InstallationAdmin, Roles } from '../common/auth/access.decorator.js';
import { CurrentActor } from '../common/auth/current-actor.decorator.js';
import type { Actor } from '../common/context/request-context.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { PageQueryDto } from '../measures/dto/status-report.dto.js';
import type { Page } from '../common/paging.js';
import { CreateUserDto, ResetPasswordDto, UpdateUserDto } from './dto/auth.dto.js';
import { type UserView, UsersService } from './users.service.js';

@ApiTags('Konten')
@ApiBearerAuth()
@Roles('admin')
@InstallationAdmin()
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'Konten' })
  @ApiPageResponse(UserResponse)
  list(@Query() query: PageQueryDto): Promise<Page<UserView>> {
    return this.users.list(query.page, query.pageSize);
  }

  @Post()
  @ApiOperation({ summary: 'Konto anlegen' })
  @ApiCreatedResponse({ type: UserResponse })
  create(@Body() dto: CreateUserDto): Promise<UserView> {
    return this.users.create(dto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Ein Konto' })
  @ApiOkResponse({ type: UserResponse })
  get(@Param('id', IdPipe) id: number): Promise<UserView> {
    return this.users.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Konto ändern oder deaktivieren (active: false)' })
  @ApiOkResponse({ type: UserResponse })
  update(
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateUserDto,
    @CurrentActor() actor: Actor,
  ): Promise<UserView> {
    return this.users.update(id, dto, actor);
  }

  @Post(':id/password')
  @HttpCode(200)
  @ApiOperation({ summary: 'Passwort zurücksetzen; beendet bestehende Anmeldungen' })
  @ApiOkResponse({ type: UserResponse })
  resetPassword(@Param('id', IdPipe) id: number, @Body() dto: ResetPasswordDto): Promise<UserView> {
    return this.users.resetPassword(id, dto.password);
  }
}
