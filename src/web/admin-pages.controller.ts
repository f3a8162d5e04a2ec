import {
  Body,
  Controller,
  Get,
  HttpException,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditQueryDto } from '../audit/audit-query.dto.js';
import { AuditService } from '../audit/audit.service.js';
import { CreateUserDto } from '../auth/dto/auth.dto.js';
import { ROLE_LABELS } from '../auth/user.entity.js';
import { UsersService } from '../auth/users.service.js';
import { Roles, WebPages } from '../common/auth/access.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { InvalidInputException } from '../common/http/validation.js';
import { ENTITIES } from '../database/entities.js';
import { FrameworkService } from '../framework/framework.service.js';
import { formErrors, validateForm } from './form-errors.js';
import { WebContext, type WebRequest } from './web-context.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const USER_LABELS: Record<string, string> = {
  email: 'E-Mail-Adresse',
  displayName: 'Name',
  role: 'Rolle',
  departmentId: 'Ressort',
  password: 'Passwort',
};

@ApiExcludeController()
@WebPages()
@UseFilters(WebExceptionFilter)
@Roles('admin')
@Controller()
export class AdminPagesController {
  constructor(
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly frameworks: FrameworkService,
    private readonly context: WebContext,
  ) {}

  @Get('konten')
  async accounts(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    await this.renderAccounts(request, response, {}, []);
  }

  @Post('konten')
  async create(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const { value, errors } = await validateForm(CreateUserDto, body, ['departmentId']);
    if (errors.length) return this.renderAccounts(request, response, body, errors, 400);
    try {
      await this.users.create(value);
    } catch (error) {
      if (error instanceof InvalidInputException) {
        return this.renderAccounts(
          request,
          response,
          body,
          (error.getResponse() as { errors: { field: string; messages: string[] }[] }).errors,
          400,
        );
      }
      if (error instanceof HttpException && error.getStatus() === 409) {
        return this.renderAccounts(
          request,
          response,
          body,
          [{ field: 'email', messages: [(error.getResponse() as { message: string }).message] }],
          409,
        );
      }
      throw error;
    }
    response.redirect(303, '/konten');
  }

  @Post('konten/:id/deaktivieren')
  async deactivate(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.users.update(id, { version: Number(body.version), active: false }, request.actor!);
    response.redirect(303, '/konten');
  }

  private async renderAccounts(
    request: WebRequest,
    response: Response,
    values: Record<string, unknown>,
    errors: { field: string; messages: string[] }[],
    status = 200,
  ): Promise<void> {
    const departments = await this.frameworks.listDepartments();
    response.status(status).render(
      'accounts',
      await this.context.page(request, errors.length ? 'Fehler: Konten' : 'Konten', 'accounts', {
        users: (await this.users.list(1, 200)).items,
        roleLabels: ROLE_LABELS,
        departments,
        departmentNames: Object.fromEntries(departments.map((d) => [d.id, d.name])),
        values: {
          ...values,
          departmentId: values.departmentId ? Number(values.departmentId) : undefined,
          password: undefined,
        },
        ...formErrors(errors, USER_LABELS),
      }),
    );
  }

  @Get('protokoll')
  async auditLog(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const { value, errors } = await validateForm(AuditQueryDto, { ...query, pageSize: '50' }, [
      'page',
      'pageSize',
      'userId',
    ]);
    const invalid = new Set(errors.map((e) => e.field));
    const filters = Object.fromEntries(
      Object.entries(value).filter(([key]) => !invalid.has(key)),
    ) as AuditQueryDto;
    const keep = new URLSearchParams();
    for (const key of ['entity', 'action', 'from', 'to']) {
      const v = query[key];
      if (typeof v === 'string' && v !== '' && !invalid.has(key)) keep.set(key, v);
    }
    response.render(
      'audit',
      await this.context.page(request, 'Protokoll', 'audit', {
        page: await this.audit.list(filters),
        q: Object.fromEntries(keep.entries()),
        pageQuery: keep.toString(),
        entities: ENTITIES.map((e) => e.name)
          .concat('Session', 'InputTemplate', 'MeasurePlan')
          .sort(),
        actions: await this.audit.actions(),
      }),
    );
  }
}
