/**
 * The account and audit pages: create accounts, change the roles per plan (a fieldset per plan: role and
 * organisation) and the installation's administration (installation administrators only), reset a
 * password (a one-time password shown once), deactivate and reactivate, and the audit log in German. Every
 * write goes through UsersService, exactly as the API's /api/users does.
 */
import { randomInt } from 'node:crypto';
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
import { actionLabel, changeLines, entityLabel, type ReferenceNames } from '../audit/audit-labels.js';
import { AuditQueryDto } from '../audit/audit-query.dto.js';
import { AuditService } from '../audit/audit.service.js';
import { CreateUserDto, UpdateUserDto } from '../auth/dto/auth.dto.js';
import { passwordProblems } from '../auth/password-policy.js';
import { roleLabelsIn } from '../auth/role-labels.js';
import { ROLE_LABELS, ROLES, type Role } from '../auth/user.entity.js';
import { type UserView, UsersService } from '../auth/users.service.js';
import { InstallationAdmin, Roles, WebPages } from '../common/auth/access.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { InvalidInputException } from '../common/http/validation.js';
import { ENTITIES } from '../database/entities.js';
import { PlansService, type PlanSummary } from '../framework/plans.service.js';
import { FrameworkService } from '../framework/framework.service.js';
import { speaksBremen, wordedIn } from '../framework/request-words.js';
import type { ActorMembership } from '../common/context/request-context.js';
import type { Department } from '../framework/department.entity.js';
import { formErrors, validateForm } from './form-errors.js';
import { redirectInPlan } from './plan-address.middleware.js';
import { WebContext, type WebRequest } from './web-context.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const USER_LABELS: Record<string, string> = {
  email: 'E-Mail-Adresse',
  displayName: 'Name',
  role: 'Rolle',
  departmentId: 'Ressort',
  password: 'Passwort',
  version: 'Version',
};

type FieldErrors = { field: string; messages: string[] }[];

/**
 * The messages after a post: the key in the address names what happened, the account id whom; `roles` is the
 * account's role as {@link rolesLine} says it.
 */
const ACCOUNT_MESSAGES: Record<string, (user: UserView, roles: string, plans: number) => string> = {
  angelegt: (u) => `Konto für ${u.displayName} (${u.email}) angelegt.`,
  rolle: (u, roles, plans) => `${plans > 1 ? 'Rollen' : 'Rolle'} von ${u.displayName} geändert: ${roles}.`,
  gespeichert: (u) => `Konto von ${u.displayName} gespeichert.`,
  deaktiviert: (u) => `Konto von ${u.displayName} deaktiviert; alle Anmeldungen sind beendet.`,
  reaktiviert: (u) => `Konto von ${u.displayName} wieder aktiviert.`,
};

/** Letters and digits that cannot be mistaken for one another when read aloud or typed from paper. */
const LOWER = 'abcdefghjkmnpqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';

/** A one-time password of four groups ("Kp7m-x4Rt-…"): random, and within the password policy. */
export function oneTimePassword(email: string): string {
  const alphabet = LOWER + UPPER + DIGITS;
  for (;;) {
    const groups = Array.from({ length: 4 }, () =>
      Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join(''),
    );
    const password = groups.join('-');
    if (/[a-z]/.test(password) && /[A-Z]/.test(password) && /\d/.test(password)) {
      if (passwordProblems(password, email).length === 0) return password;
    }
  }
}

function fieldErrorsOf(error: unknown): FieldErrors | null {
  if (error instanceof InvalidInputException) return (error.getResponse() as { errors: FieldErrors }).errors;
  return null;
}

function conflictMessage(error: unknown): string | null {
  if (error instanceof HttpException && error.getStatus() === 409)
    return (error.getResponse() as { message: string }).message;
  return null;
}

/** The form's fieldset per plan as memberships: no role in a plan means no membership there. */
function membershipsOfForm(
  plans: PlanSummary[],
  body: Record<string, unknown>,
): { frameworkId: number; role: Role; departmentId: number | null }[] {
  return plans
    .filter((plan) => typeof body[`plan_${plan.id}_role`] === 'string' && body[`plan_${plan.id}_role`] !== '')
    .map((plan) => {
      const department = body[`plan_${plan.id}_departmentId`];
      return {
        frameworkId: plan.id,
        role: body[`plan_${plan.id}_role`] as Role,
        departmentId:
          typeof department === 'string' && /^\d{1,10}$/.test(department) ? Number(department) : null,
      };
    });
}

/** The error summary's names of the fields, with the fieldset per plan's. */
function planLabels(plans: PlanSummary[]): Record<string, string> {
  const labels: Record<string, string> = { ...USER_LABELS };
  for (const plan of plans) {
    const organisation = plan.vocabulary.organisation;
    labels[`plan_${plan.id}_role`] = plans.length > 1 ? `Rolle im Plan ${plan.name}` : 'Rolle';
    labels[`plan_${plan.id}_departmentId`] =
      plans.length > 1 ? `${organisation} im Plan ${plan.name}` : organisation;
  }
  // The single plan's form without fieldsets.
  if (plans.length === 1) labels.departmentId = plans[0].vocabulary.organisation;
  return labels;
}

/** An organisation after a role (", Arbeit, …"), or nothing. */
function ofOrganisation(id: number | null, departmentNames: Record<number, string>): string {
  return id && departmentNames[id] ? `, ${departmentNames[id]}` : '';
}

/**
 * An account's rights as the account pages list them: the installation's administration, and each plan's role
 * in that plan's words with its organisation ("Regiopolregion Bielefeld: Partnerkommune (Bearbeitung),
 * Bielefeld"); "–" for none.
 */
function membershipsLine(
  user: UserView,
  plans: PlanSummary[],
  departmentNames: Record<number, string>,
): string {
  const byId = new Map(plans.map((plan) => [plan.id, plan]));
  const parts = user.memberships.map((m) => {
    const plan = byId.get(m.frameworkId);
    const labels = plan ? roleLabelsIn(plan.vocabulary) : ROLE_LABELS;
    return `${plan?.name ?? `Plan ${m.frameworkId}`}: ${labels[m.role]}${ofOrganisation(m.departmentId, departmentNames)}`;
  });
  if (user.installationAdmin) parts.unshift('Administration der Installation');
  return parts.length ? parts.join('; ') : '–';
}

/**
 * The account's role as the message after a change says it: with one plan its role and organisation as always
 * ("Ressort (Bearbeitung), Arbeit, …"); with several, every plan's ({@link membershipsLine}).
 */
function rolesLine(user: UserView, plans: PlanSummary[], departmentNames: Record<number, string>): string {
  if (plans.length <= 1)
    return `${ROLE_LABELS[user.role]}${ofOrganisation(user.departmentId, departmentNames)}`;
  return membershipsLine(user, plans, departmentNames);
}

/** What a plan's fieldset on the account pages offers, in the plan's words. */
interface PlanChoices {
  roles: { value: Role; label: string }[];
  organisationLabel: string;
  departments: { value: number; label: string }[];
}

/** A service's `memberships.<i>.<field>` error as the field of the plan's fieldset. */
function planFields(
  errors: FieldErrors | null,
  memberships: { frameworkId: number }[] | undefined,
): FieldErrors | null {
  return (
    errors?.map((e) => {
      const match = /^memberships\.(\d+)\.(\w+)$/.exec(e.field);
      const planId = match ? memberships?.[Number(match[1])]?.frameworkId : undefined;
      return planId === undefined ? e : { ...e, field: `plan_${planId}_${match![2]}` };
    }) ?? null
  );
}

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
    private readonly plans: PlansService,
  ) {}

  @Get('konten')
  @InstallationAdmin()
  async accounts(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    await this.renderAccounts(request, response, {}, [], 200, query);
  }

  @Post('konten')
  @InstallationAdmin()
  async create(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const plans = await this.plans.list();
    const perPlan = plans.some((plan) => `plan_${plan.id}_role` in body);
    const { value, errors } = await validateForm(
      CreateUserDto,
      perPlan
        ? {
            email: body.email,
            displayName: body.displayName,
            password: body.password,
            memberships: [],
          }
        : body,
      ['departmentId'],
    );
    if (errors.length) return this.renderAccounts(request, response, body, errors, 400);
    if (perPlan) {
      value.memberships = membershipsOfForm(plans, body);
      value.installationAdmin = body.installationAdmin === 'true';
    }
    let created: UserView;
    try {
      created = await this.users.create(value);
    } catch (error) {
      const fields = planFields(fieldErrorsOf(error), value.memberships);
      if (fields) return this.renderAccounts(request, response, body, fields, 400);
      const conflict = conflictMessage(error);
      if (conflict)
        return this.renderAccounts(request, response, body, [{ field: 'email', messages: [conflict] }], 409);
      throw error;
    }
    redirectInPlan(request, response, `/konten?angelegt=${created.id}`);
  }

  @Get('konten/:id')
  @InstallationAdmin()
  async account(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const user = await this.users.get(id);
    await this.renderAccount(request, response, user, {}, []);
  }

  /** Role, department and name, with the version the form was loaded with (PATCH /api/users/:id). */
  @Post('konten/:id')
  @InstallationAdmin()
  async update(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const before = await this.users.get(id);
    const plans = await this.plans.list();
    const perPlan = plans.some((plan) => `plan_${plan.id}_role` in body);
    const { value, errors } = await validateForm(
      UpdateUserDto,
      perPlan ? { version: body.version, displayName: body.displayName } : body,
      ['version', 'departmentId'],
    );
    if (errors.length) return this.renderAccount(request, response, before, body, errors, 400);
    if (perPlan) {
      value.memberships = membershipsOfForm(plans, body);
      value.installationAdmin = body.installationAdmin === 'true';
    }
    // An empty department field means "none" (viewer, admin); the API says so with null.
    if (value.role && value.role !== 'editor' && value.departmentId === undefined) value.departmentId = null;
    let after: UserView;
    try {
      after = await this.users.update(id, value, request.actor!);
    } catch (error) {
      const fields = planFields(fieldErrorsOf(error), value.memberships);
      if (fields) return this.renderAccount(request, response, before, body, fields, 400);
      const conflict = conflictMessage(error);
      if (conflict)
        return this.renderAccount(
          request,
          response,
          before,
          body,
          [{ field: 'version', messages: [conflict] }],
          409,
        );
      throw error;
    }
    const roleChanged =
      after.role !== before.role ||
      after.departmentId !== before.departmentId ||
      after.installationAdmin !== before.installationAdmin ||
      JSON.stringify(after.memberships) !== JSON.stringify(before.memberships);
    redirectInPlan(request, response, `/konten?${roleChanged ? 'rolle' : 'gespeichert'}=${id}`);
  }

  /**
   * A new one-time password (POST /api/users/:id/password): shown once, on this answer only; never in an
   * address, never stored readable. Every session of the account ends.
   */
  @Post('konten/:id/passwort')
  @InstallationAdmin()
  async resetPassword(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const user = await this.users.get(id);
    const password = oneTimePassword(user.email);
    await this.users.resetPassword(id, password);
    response.setHeader('Cache-Control', 'no-store');
    response.status(200).render(
      'account-password',
      await this.context.page(request, 'Einmalpasswort', 'accounts', {
        user,
        password,
        flash: `Einmalpasswort für ${user.displayName} (${user.email}) erzeugt.`,
      }),
    );
  }

  @Post('konten/:id/deaktivieren')
  @InstallationAdmin()
  async deactivate(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.users.update(id, { version: Number(body.version), active: false }, request.actor!);
    redirectInPlan(request, response, `/konten?deaktiviert=${id}`);
  }

  @Post('konten/:id/reaktivieren')
  @InstallationAdmin()
  async reactivate(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.users.update(id, { version: Number(body.version), active: true }, request.actor!);
    redirectInPlan(request, response, `/konten?reaktiviert=${id}`);
  }

  private async accountMessage(
    query: Record<string, unknown>,
    plans: PlanSummary[],
    departmentNames: Record<number, string>,
  ): Promise<string | undefined> {
    for (const [key, message] of Object.entries(ACCOUNT_MESSAGES)) {
      const raw = query[key];
      if (typeof raw !== 'string' || !/^\d{1,10}$/.test(raw)) continue;
      const user = await this.users.get(Number(raw)).catch(() => null);
      if (!user) return undefined;
      const names = await this.withHeldDepartments([user], departmentNames);
      return message(user, rolesLine(user, plans, names), plans.length);
    }
    return undefined;
  }

  /**
   * The names of the active organisations, and of any retired one that one of `users` still holds (an inactive
   * account may: retiring an organisation is refused while active accounts write for it).
   */
  private async withHeldDepartments(
    users: UserView[],
    active: Record<number, string>,
  ): Promise<Record<number, string>> {
    const names = { ...active };
    const held = users.flatMap((u) => [u.departmentId, ...u.memberships.map((m) => m.departmentId)]);
    for (const id of new Set(held)) {
      if (id === null || names[id] !== undefined) continue;
      const department = await this.frameworks.getDepartment(id).catch(() => null);
      if (department) names[id] = department.name;
    }
    return names;
  }

  /**
   * Per plan, the roles and organisations its fieldset offers, in its words: the organisations taking part in
   * the plan, and the one the account already writes for there (kept even if it has left the plan since).
   */
  private async planChoices(
    plans: PlanSummary[],
    directory: Department[],
    names: Record<number, string>,
    memberships: ActorMembership[] = [],
  ): Promise<Record<number, PlanChoices>> {
    const choices: Record<number, PlanChoices> = {};
    for (const plan of plans) {
      const words = plan.vocabulary;
      const roleLabels = roleLabelsIn(words);
      const own = memberships.find((m) => m.frameworkId === plan.id)?.departmentId;
      const taking = new Set((await this.frameworks.listPlanDepartments(plan.id)).map((d) => d.id));
      choices[plan.id] = {
        roles: ROLES.map((role) => ({ value: role, label: roleLabels[role] })),
        organisationLabel: wordedIn(
          words,
          'Ressort (nur für Ressort-Konten)',
          `${words.organisation} (nur bei Bearbeitung)`,
        ),
        departments: [
          ...directory
            .filter((d) => taking.has(d.id) || d.id === own)
            .map((d) => ({ value: d.id, label: d.name })),
          // The one held, retired since (not in the directory's active organisations).
          ...(own && !directory.some((d) => d.id === own) && names[own]
            ? [{ value: own, label: names[own] }]
            : []),
        ],
      };
    }
    return choices;
  }

  private async renderAccounts(
    request: WebRequest,
    response: Response,
    values: Record<string, unknown>,
    errors: FieldErrors,
    status = 200,
    query: Record<string, unknown> = {},
  ): Promise<void> {
    const departments = await this.frameworks.listDepartments();
    const plans = await this.plans.list();
    const users = (await this.users.list(1, 200)).items;
    const active = Object.fromEntries(departments.map((d) => [d.id, d.name]));
    const names = await this.withHeldDepartments(users, active);
    response.status(status).render(
      'accounts',
      await this.context.page(request, errors.length ? 'Fehler: Konten' : 'Konten', 'accounts', {
        users,
        rolesOf: Object.fromEntries(users.map((u) => [u.id, membershipsLine(u, plans, names)])),
        roleLabels: ROLE_LABELS,
        choices: await this.planChoices(plans, departments, names),
        departments,
        plans,
        values: {
          ...values,
          installationAdmin: values.installationAdmin === 'true',
          ...Object.fromEntries(
            plans.map((p) => [
              `plan_${p.id}_departmentId`,
              values[`plan_${p.id}_departmentId`] ? Number(values[`plan_${p.id}_departmentId`]) : undefined,
            ]),
          ),
          departmentId: values.departmentId ? Number(values.departmentId) : undefined,
          password: undefined,
        },
        flash: await this.accountMessage(query, plans, active),
        allBremen: plans.every((plan) => speaksBremen(plan.vocabulary)),
        ...formErrors(errors, planLabels(plans)),
      }),
    );
  }

  private async renderAccount(
    request: WebRequest,
    response: Response,
    user: UserView,
    values: Record<string, unknown>,
    errors: FieldErrors,
    status = 200,
  ): Promise<void> {
    const departments = await this.frameworks.listDepartments();
    const plans = await this.plans.list();
    const names = await this.withHeldDepartments(
      [user],
      Object.fromEntries(departments.map((d) => [d.id, d.name])),
    );
    const typed = Object.keys(values).length > 0;
    // The values of the fieldset per plan: as typed after a refusal, else the account's memberships.
    const planValues: Record<string, unknown> = {};
    for (const plan of plans) {
      const membership = user.memberships.find((m) => m.frameworkId === plan.id);
      planValues[`plan_${plan.id}_role`] = typed ? values[`plan_${plan.id}_role`] : (membership?.role ?? '');
      const department = typed ? values[`plan_${plan.id}_departmentId`] : membership?.departmentId;
      planValues[`plan_${plan.id}_departmentId`] = department ? Number(department) : undefined;
    }
    response.status(status).render(
      'account',
      await this.context.page(
        request,
        `${errors.length ? 'Fehler: ' : ''}Konto ${user.displayName}`,
        'accounts',
        {
          user,
          roles: membershipsLine(user, plans, names),
          choices: await this.planChoices(plans, departments, names, user.memberships),
          allBremen: plans.every((plan) => speaksBremen(plan.vocabulary)),
          plans: plans satisfies PlanSummary[],
          isSelf: user.id === request.actor?.id,
          values: {
            displayName: typed ? values.displayName : user.displayName,
            installationAdmin: typed ? values.installationAdmin === 'true' : user.installationAdmin,
            ...planValues,
          },
          // A stale form is answered with the current version, so that saving again is a conscious choice.
          version: user.version,
          ...formErrors(errors, { ...planLabels(plans), version: 'Rolle' }),
        },
      ),
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
    for (const key of ['frameworkId', 'entity', 'action', 'from', 'to']) {
      const v = query[key];
      if (typeof v === 'string' && v !== '' && !invalid.has(key)) keep.set(key, v);
    }
    const page = await this.audit.list(filters);
    // The trail spans every plan: the names of every plan's fields and goals.
    const plans = await this.plans.list();
    const actionField = new Map<number, string>();
    const goal = new Map<number, string>();
    for (const plan of plans) {
      for (const f of await this.frameworks.listActionFields(plan.id)) actionField.set(f.id, f.code);
      for (const g of await this.frameworks.listGoals(plan.id)) goal.set(g.id, g.code);
    }
    const names: ReferenceNames = {
      department: new Map((await this.frameworks.listDepartments()).map((d) => [d.id, d.name])),
      actionField,
      goal,
    };
    const entityNames = [
      ...new Set(ENTITIES.map((e) => e.name).concat('Session', 'InputTemplate', 'MeasurePlan')),
    ];
    const byLabel = (a: { label: string }, b: { label: string }): number =>
      a.label.localeCompare(b.label, 'de');
    response.render(
      'audit',
      await this.context.page(request, 'Protokoll', 'audit', {
        page: {
          ...page,
          items: page.items.map((e) => ({
            ...e,
            entityLabel: entityLabel(e.entity),
            actionLabel: actionLabel(e.action),
            lines: changeLines(e.entity, e.changes, names),
          })),
        },
        q: Object.fromEntries(keep.entries()),
        pageQuery: keep.toString(),
        // With several plans: each plan's entries, or the installation's own (accounts, sign-ins).
        planOptions:
          plans.length > 1
            ? [
                ...plans.map((plan) => ({ value: String(plan.id), label: plan.name })),
                { value: 'installation', label: 'Installation (Konten, Anmeldungen, Organisationen)' },
              ]
            : [],
        entities: entityNames.map((name) => ({ value: name, label: entityLabel(name) })).sort(byLabel),
        actions: (await this.audit.actions())
          .map((action) => ({ value: action, label: actionLabel(action) }))
          .sort(byLabel),
      }),
    );
  }
}
