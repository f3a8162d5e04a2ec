/**
 * Pages for mail: the coordinating unit's notification log (/benachrichtigungen, failed sends first, the
 * notice when mail is not set up, a run by hand) and every account's own setting (/konto/benachrichtigungen).
 */
import { Body, Controller, Get, HttpException, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AnyRole, Roles, WebPages, InstallationAdmin } from '../common/auth/access.decorator.js';
import { NOTIFICATION_STATE_LABELS } from '../notifications/notification-log.entity.js';
import { NotificationSettingsService } from '../notifications/notification-settings.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { redirectInPlan } from './plan-address.middleware.js';
import { WebContext, type WebRequest } from './web-context.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const NOT_CONFIGURED = 'E-Mail-Versand ist nicht eingerichtet';

@ApiExcludeController()
@WebPages()
@UseFilters(WebExceptionFilter)
@Controller()
export class NotificationPagesController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly settings: NotificationSettingsService,
    private readonly context: WebContext,
  ) {}

  @Get('benachrichtigungen')
  @Roles('admin')
  @InstallationAdmin()
  async log(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Query('page') pageParam?: string,
    @Query('gelaufen') ran?: string,
  ): Promise<void> {
    await this.renderLog(
      request,
      response,
      200,
      Number(pageParam) || 1,
      ran ? 'Der Versand wurde ausgeführt.' : '',
    );
  }

  @Post('benachrichtigungen/versenden')
  @Roles('admin')
  @InstallationAdmin()
  async run(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    try {
      const result = await this.settings.runNow(false, 'Seite Benachrichtigungen');
      redirectInPlan(
        request,
        response,
        `/benachrichtigungen?gelaufen=${result.planned.length}-${result.sent}-${result.failed}`,
      );
    } catch (error) {
      if (!(error instanceof HttpException) || error.getStatus() !== 409) throw error;
      const payload = error.getResponse() as { message?: string };
      await this.renderLog(request, response, 409, 1, '', payload.message ?? NOT_CONFIGURED);
    }
  }

  private async renderLog(
    request: WebRequest,
    response: Response,
    status: number,
    page: number,
    flash: string,
    error = '',
  ): Promise<void> {
    const list = await this.notifications.list(Math.max(1, Math.floor(page)), 50);
    const failed = await this.notifications.list(1, 20, 'failed');
    response.status(status).render(
      'notifications',
      await this.context.page(request, 'Benachrichtigungen', 'notifications', {
        configured: this.notifications.configured,
        list,
        failed,
        stateLabels: NOTIFICATION_STATE_LABELS,
        flash,
        error,
      }),
    );
  }

  @Get('konto/benachrichtigungen')
  @AnyRole()
  async settingsPage(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Query('gespeichert') saved?: string,
  ): Promise<void> {
    const current = await this.settings.get(request.actor!);
    response.render(
      'account-notifications',
      await this.context.page(request, 'Benachrichtigungen', 'account-notifications', {
        settings: current,
        flash: saved ? 'Ihre Einstellung wurde gespeichert.' : '',
      }),
    );
  }

  @Post('konto/benachrichtigungen')
  @AnyRole()
  async saveSettings(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.settings.update(request.actor!, body.digestEmails === 'ja');
    redirectInPlan(request, response, '/konto/benachrichtigungen?gespeichert=1');
  }
}
