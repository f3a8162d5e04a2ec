import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole, Roles, InstallationAdmin } from '../common/auth/access.decorator.js';
import { CurrentActor } from '../common/auth/current-actor.decorator.js';
import type { Actor } from '../common/context/request-context.js';
import { ApiPageResponse } from '../common/http/openapi-responses.js';
import type { Page } from '../common/paging.js';
import { NotificationQueryDto, NotificationSettingsDto, RunNotificationsDto } from './notifications.dto.js';
import {
  NotificationResponse,
  NotificationRunResponse,
  NotificationSettingsResponse,
} from './notifications.response.js';
import type { NotificationView, RunResult } from './notifications.service.js';
import { NotificationSettingsService } from './notification-settings.service.js';
import { NotificationsService } from './notifications.service.js';

@ApiTags('Benachrichtigungen')
@ApiBearerAuth()
@Controller('api')
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly settings: NotificationSettingsService,
  ) {}

  @Get('notifications')
  @Roles('admin')
  @InstallationAdmin()
  @ApiOperation({ summary: 'Versandprotokoll der E-Mails (neueste zuerst; Filter state=failed)' })
  @ApiPageResponse(NotificationResponse)
  list(@Query() query: NotificationQueryDto): Promise<Page<NotificationView>> {
    return this.notifications.list(query.page ?? 1, query.pageSize ?? 50, query.state);
  }

  @Post('notifications/run')
  @Roles('admin')
  @InstallationAdmin()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Erinnerungen jetzt verschicken (dryRun: nur auflisten); ohne SMTP_URL 409',
  })
  @ApiOkResponse({ type: NotificationRunResponse })
  run(@Body() dto: RunNotificationsDto): Promise<RunResult> {
    return this.settings.runNow(dto.dryRun ?? false);
  }

  @Get('account/notifications')
  @AnyRole()
  @ApiOperation({ summary: 'Die E-Mail-Einstellungen des eigenen Kontos' })
  @ApiOkResponse({ type: NotificationSettingsResponse })
  get(@CurrentActor() actor: Actor): Promise<NotificationSettingsResponse> {
    return this.settings.get(actor);
  }

  @Patch('account/notifications')
  @AnyRole()
  @ApiOperation({
    summary: 'Wöchentliche E-Mails an- oder abbestellen (Rückgaben und Fristerinnerungen kommen immer)',
  })
  @ApiOkResponse({ type: NotificationSettingsResponse })
  update(
    @CurrentActor() actor: Actor,
    @Body() dto: NotificationSettingsDto,
  ): Promise<NotificationSettingsResponse> {
    return this.settings.update(actor, dto.digestEmails);
  }
}
