/**
 * Accounts: create, change the memberships (role and organisation per plan) and the installation administration,
 * deactivate, reset the password. Installation administrators' work, audited. The old single `role` and
 * `departmentId` of a request mean the membership in the request's plan; `users.role`/`departmentId` are kept as
 * the account's role in the installation's first plan for readers that predate plans.
 */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import bcrypt from 'bcryptjs';
import { type EntityManager, Repository } from 'typeorm';
import { AppConfig } from '../common/config/app-config.js';
import { AuditService } from '../audit/audit.service.js';
import { type Actor, type ActorMembership, RequestContext } from '../common/context/request-context.js';
import { conflict, notFound } from '../common/http/domain-errors.js';
import { type FieldError, InvalidInputException } from '../common/http/validation.js';
import { DATA_VERSION_SQL, num, queryNamed } from '../database/sql.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { Department } from '../framework/department.entity.js';
import { Framework } from '../framework/framework.entity.js';
import { departmentsOutsidePlan } from '../framework/plan-departments.js';
import { resolvePlan } from '../framework/plans.service.js';
import { planWord, planWords, wordedIn, wordsOfPlan } from '../framework/request-words.js';
import type { Page } from '../common/paging.js';
import type { CreateUserDto, MembershipDto, UpdateUserDto } from './dto/auth.dto.js';
import { Membership } from './membership.entity.js';
import { passwordProblems } from './password-policy.js';
import { type Role, User } from './user.entity.js';
import { UserError } from './user-errors.js';

export interface UserView {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
  installationAdmin: boolean;
  memberships: ActorMembership[];
  active: boolean;
  isDemo: boolean;
  version: number;
  createdAt: string;
}

export function toUserView(user: User, memberships: ActorMembership[] = []): UserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    departmentId: user.departmentId,
    installationAdmin: user.installationAdmin,
    memberships,
    active: user.active,
    isDemo: user.isDemo,
    version: user.version,
    createdAt: new Date(user.createdAt).toISOString(),
  };
}

export function toActor(
  user: Pick<User, 'id' | 'email' | 'displayName' | 'role' | 'departmentId' | 'installationAdmin'>,
  memberships: ActorMembership[] = [],
): Actor {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    departmentId: user.departmentId,
    installationAdmin: user.installationAdmin,
    memberships,
  };
}

const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

function sameRights(a: ActorMembership[], b: ActorMembership[]): boolean {
  const key = (list: ActorMembership[]): string =>
    list
      .map((m) => `${m.frameworkId}:${m.role}:${m.departmentId ?? ''}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}

/** What the request asks the account's memberships and installation administration to become. */
interface WantedRights {
  memberships: ActorMembership[];
  installationAdmin: boolean;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.config.PASSWORD_HASH_ROUNDS);
  }

  async list(page = 1, pageSize = 50): Promise<Page<UserView>> {
    const [rows, total] = await this.users.findAndCount({
      order: { email: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    const memberships = await this.membershipsOf(
      this.users.manager,
      rows.map((u) => u.id),
    );
    return {
      items: rows.map((u) => toUserView(u, memberships.get(u.id) ?? [])),
      total,
      page,
      pageSize,
    };
  }

  async get(id: number): Promise<UserView> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw notFound(UserError.NOT_FOUND, `Konto ${id} wurde nicht gefunden.`);
    return toUserView(user, (await this.membershipsOf(this.users.manager, [id])).get(id) ?? []);
  }

  /** The memberships of the accounts, by account, plan by plan. */
  async membershipsOf(manager: EntityManager, userIds: number[]): Promise<Map<number, ActorMembership[]>> {
    const result = new Map<number, ActorMembership[]>();
    if (userIds.length === 0) return result;
    const rows = await manager
      .createQueryBuilder(Membership, 'm')
      .where('m.userId IN (:...ids)', { ids: userIds })
      .orderBy('m.frameworkId', 'ASC')
      .getMany();
    for (const row of rows) {
      const list = result.get(row.userId) ?? [];
      list.push({ frameworkId: row.frameworkId, role: row.role, departmentId: row.departmentId });
      result.set(row.userId, list);
    }
    return result;
  }

  count(): Promise<number> {
    return this.users.count();
  }

  /**
   * Creates an account. `skipPasswordPolicy` is only for the documented demo accounts.
   */
  async create(
    dto: CreateUserDto,
    options: { skipPasswordPolicy?: boolean; isDemo?: boolean } = {},
  ): Promise<UserView> {
    const errors: FieldError[] = [];
    if (!options.skipPasswordPolicy) {
      const problems = passwordProblems(dto.password, dto.email);
      if (problems.length) errors.push({ field: 'password', messages: problems });
    }
    const passwordHash = await this.hash(dto.password);
    const id = await RequestContext.withAudit({ action: 'create' }, () =>
      this.transactions.run(async (manager) => {
        const wanted = await this.wantedRights(manager, dto, [], false, errors);
        if (errors.length) throw new InvalidInputException(errors);
        const mirror = await this.firstPlanRole(manager, wanted);
        if (await manager.existsBy(User, { email: dto.email })) {
          throw conflict(
            UserError.EMAIL_EXISTS,
            `Ein Konto mit der E-Mail-Adresse ${dto.email} gibt es bereits.`,
          );
        }
        const user = await manager.save(
          User,
          manager.create(User, {
            email: dto.email,
            displayName: dto.displayName,
            role: mirror.role,
            departmentId: mirror.departmentId,
            installationAdmin: wanted.installationAdmin,
            passwordHash,
            active: true,
            tokenGeneration: 0,
            isDemo: options.isDemo ?? false,
          }),
        );
        await this.writeMemberships(manager, user.id, wanted.memberships);
        return user.id;
      }),
    );
    return this.get(id);
  }

  async update(id: number, dto: UpdateUserDto, actor: Actor): Promise<UserView> {
    await RequestContext.withAudit({ action: dto.active === false ? 'deactivate' : 'update' }, () =>
      this.transactions.run(async (manager) => {
        const user = await manager.findOneBy(User, { id });
        if (!user) throw notFound(UserError.NOT_FOUND, `Konto ${id} wurde nicht gefunden.`);
        if (user.version !== dto.version) {
          throw conflict(
            UserError.STALE_VERSION,
            'Das Konto wurde inzwischen geändert. Bitte laden Sie es neu.',
            {
              currentVersion: user.version,
            },
          );
        }
        const current = (await this.membershipsOf(manager, [id])).get(id) ?? [];
        const errors: FieldError[] = [];
        const wanted = await this.wantedRights(manager, dto, current, user.installationAdmin, errors);
        if (errors.length) throw new InvalidInputException(errors);
        if (
          actor.id === id &&
          (dto.active === false || (user.installationAdmin && !wanted.installationAdmin))
        ) {
          throw conflict(
            UserError.SELF_LOCKOUT,
            'Sie können Ihr eigenes Konto nicht deaktivieren oder herabstufen.',
          );
        }
        const wasActive = user.active;
        const rightsChanged =
          wanted.installationAdmin !== user.installationAdmin || !sameRights(current, wanted.memberships);
        const mirror = await this.firstPlanRole(manager, wanted);
        user.displayName = dto.displayName ?? user.displayName;
        user.role = mirror.role;
        user.departmentId = mirror.departmentId;
        user.installationAdmin = wanted.installationAdmin;
        user.active = dto.active ?? user.active;
        // Deactivation or a change of rights ends every session at once.
        if ((wasActive && !user.active) || rightsChanged) user.tokenGeneration += 1;
        user.version = dto.version + 1;
        await manager.save(User, user);
        await this.writeMemberships(manager, id, wanted.memberships);
      }),
    );
    return this.get(id);
  }

  /**
   * A new password (by an admin, or by the account itself with `action: 'password_change'`); every session of
   * the account ends.
   */
  async resetPassword(
    id: number,
    password: string,
    options: { field?: string; action?: 'password_reset' | 'password_change' } = {},
  ): Promise<UserView> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw notFound(UserError.NOT_FOUND, `Konto ${id} wurde nicht gefunden.`);
    const problems = passwordProblems(password, user.email);
    if (problems.length)
      throw new InvalidInputException([{ field: options.field ?? 'password', messages: problems }]);
    const passwordHash = await this.hash(password);
    await RequestContext.withAudit({ action: options.action ?? 'password_reset' }, () =>
      this.transactions.run(async (manager) => {
        const current = await manager.findOneOrFail(User, {
          where: { id },
          select: { id: true, passwordHash: true, tokenGeneration: true, version: true },
        });
        current.passwordHash = passwordHash;
        current.tokenGeneration += 1;
        current.version += 1;
        await manager.save(User, current);
      }),
    );
    return this.get(id);
  }

  /** For sign-in only: the account with its password hash. */
  findWithHash(email: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: email.trim().toLowerCase() })
      .getOne();
  }

  /**
   * For every signed-in request, in one round trip: what the session check needs of the account, its
   * memberships (one row each, or one row without), the installation's first and last plan (equal when it has
   * one plan) and the data version as the request begins (read by the dashboard, see DashboardService.current).
   */
  async findForRequest(id: number): Promise<{
    account: Pick<
      User,
      | 'id'
      | 'email'
      | 'displayName'
      | 'role'
      | 'departmentId'
      | 'active'
      | 'tokenGeneration'
      | 'installationAdmin'
    >;
    memberships: ActorMembership[];
    /** The installation's only plan, null with none or several. */
    onlyPlanId: number | null;
    dataVersion: string;
  } | null> {
    const rows = await queryNamed<Record<string, unknown>>(
      this.users.manager,
      `SELECT u."id", u."email", u."displayName", u."role", u."departmentId", u."active", u."tokenGeneration",
              u."installationAdmin", m."frameworkId" AS "memberPlan", m."role" AS "memberRole",
              m."departmentId" AS "memberDepartment",
              (SELECT MIN(f."id") FROM "frameworks" f) AS "firstPlan",
              (SELECT MAX(f."id") FROM "frameworks" f) AS "lastPlan",
              (${DATA_VERSION_SQL}) AS "dataVersion"
         FROM "users" u LEFT JOIN "memberships" m ON m."userId" = u."id"
        WHERE u."id" = :id`,
      { id },
    );
    const [row] = rows;
    if (!row) return null;
    const flag = (value: unknown): boolean => value === true || value === 1;
    const first = row.firstPlan === null ? null : num(row.firstPlan);
    return {
      account: {
        id: num(row.id),
        email: String(row.email),
        displayName: String(row.displayName),
        role: row.role as Role,
        departmentId: row.departmentId === null ? null : num(row.departmentId),
        active: flag(row.active),
        tokenGeneration: num(row.tokenGeneration),
        installationAdmin: flag(row.installationAdmin),
      },
      memberships: rows
        .filter((r) => r.memberPlan !== null)
        .map((r) => ({
          frameworkId: num(r.memberPlan),
          role: r.memberRole as Role,
          departmentId: r.memberDepartment === null ? null : num(r.memberDepartment),
        }))
        .sort((a, b) => a.frameworkId - b.frameworkId),
      onlyPlanId: first !== null && row.lastPlan !== null && num(row.lastPlan) === first ? first : null,
      dataVersion: String(row.dataVersion),
    };
  }

  findById(id: number): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  async endSessions(id: number): Promise<void> {
    await RequestContext.withAudit({ action: 'logout' }, () =>
      this.transactions.run(async (manager) => {
        const user = await manager.findOneByOrFail(User, { id });
        user.tokenGeneration += 1;
        await manager.save(User, user);
      }),
    );
  }

  /**
   * The memberships and installation administration a create or update asks for, checked (every problem into
   * `errors`, German, with the field's path): `memberships` replace the account's; the old single
   * `role`/`departmentId` set the membership in the request's plan (the only plan). A legacy `role: 'admin'`
   * without memberships is the coordinating unit's admin it always was: an installation administrator.
   */
  private async wantedRights(
    manager: EntityManager,
    dto: Pick<CreateUserDto, 'role' | 'departmentId' | 'memberships' | 'installationAdmin'>,
    current: ActorMembership[],
    wasInstallationAdmin: boolean,
    errors: FieldError[],
  ): Promise<WantedRights> {
    let memberships = dto.memberships
      ? await this.checkMemberships(manager, dto.memberships, current, errors)
      : current.map((m) => ({ ...m }));
    const installationAdmin =
      dto.installationAdmin ??
      (dto.role !== undefined && dto.memberships === undefined ? dto.role === 'admin' : wasInstallationAdmin);
    // An installation administrator is admin in every plan: the old `role: 'admin'` needs no membership.
    const legacyAdmin = dto.role === 'admin' && dto.memberships === undefined && installationAdmin;
    if (legacyAdmin && dto.departmentId)
      errors.push(
        ...(await this.checkRoleAndDepartment(manager, 'admin', dto.departmentId, 'departmentId', null)),
      );
    if ((dto.role !== undefined || dto.departmentId !== undefined) && !legacyAdmin) {
      const plan = await this.requestPlan(manager);
      if (plan !== null && !(dto.memberships ?? []).some((m) => m.frameworkId === plan)) {
        const before = memberships.find((m) => m.frameworkId === plan);
        const role = dto.role ?? before?.role ?? 'viewer';
        const departmentId =
          role === 'editor'
            ? dto.departmentId !== undefined
              ? dto.departmentId
              : (before?.departmentId ?? null)
            : (dto.departmentId ?? null);
        const problems = await this.checkRoleAndDepartment(manager, role, departmentId, 'departmentId', {
          frameworkId: plan,
          current,
        });
        errors.push(...problems);
        memberships = [
          ...memberships.filter((m) => m.frameworkId !== plan),
          { frameworkId: plan, role, departmentId: role === 'editor' ? departmentId : null },
        ];
      } else if (plan === null && dto.role !== undefined) {
        errors.push(
          ...(await this.checkRoleAndDepartment(
            manager,
            dto.role,
            dto.departmentId ?? null,
            'departmentId',
            null,
          )),
        );
      }
    }
    return { memberships: memberships.sort((a, b) => a.frameworkId - b.frameworkId), installationAdmin };
  }

  /** The request's plan for the old single role: the one the request is about, or null before any plan exists. */
  private async requestPlan(manager: EntityManager): Promise<number | null> {
    if (RequestContext.current()?.planId === undefined && !(await manager.exists(Framework))) return null;
    return resolvePlan(manager);
  }

  private async checkMemberships(
    manager: EntityManager,
    given: MembershipDto[],
    current: ActorMembership[],
    errors: FieldError[],
  ): Promise<ActorMembership[]> {
    const result: ActorMembership[] = [];
    const seen = new Set<number>();
    for (const [index, membership] of given.entries()) {
      const path = `memberships.${index}`;
      if (seen.has(membership.frameworkId)) {
        errors.push({
          field: `${path}.frameworkId`,
          messages: ['für diesen Plan ist schon eine Rolle angegeben'],
        });
        continue;
      }
      seen.add(membership.frameworkId);
      if (!(await manager.existsBy(Framework, { id: membership.frameworkId }))) {
        errors.push({
          field: `${path}.frameworkId`,
          messages: [`Plan ${membership.frameworkId} gibt es nicht`],
        });
        continue;
      }
      const departmentId = membership.departmentId ?? null;
      errors.push(
        ...(await this.checkRoleAndDepartment(
          manager,
          membership.role,
          departmentId,
          `${path}.departmentId`,
          { frameworkId: membership.frameworkId, current },
        )),
      );
      result.push({
        frameworkId: membership.frameworkId,
        role: membership.role,
        departmentId: membership.role === 'editor' ? departmentId : null,
      });
    }
    return result;
  }

  /**
   * The account's role as `users.role`/`departmentId` keep it: admin for an installation administrator, else
   * its membership in the installation's first plan, else its highest role anywhere (viewer without any).
   */
  private async firstPlanRole(
    manager: EntityManager,
    wanted: WantedRights,
  ): Promise<{ role: Role; departmentId: number | null }> {
    if (wanted.installationAdmin) return { role: 'admin', departmentId: null };
    const [first] = await manager.find(Framework, { select: { id: true }, order: { id: 'ASC' }, take: 1 });
    const inFirst = first ? wanted.memberships.find((m) => m.frameworkId === first.id) : undefined;
    const chosen =
      inFirst ?? [...wanted.memberships].sort((a, b) => RANK[b.role] - RANK[a.role])[0] ?? undefined;
    return chosen
      ? { role: chosen.role, departmentId: chosen.departmentId }
      : { role: 'viewer', departmentId: null };
  }

  /** Brings the account's membership rows to `wanted`; every write is audited (removals as their own entry). */
  private async writeMemberships(
    manager: EntityManager,
    userId: number,
    wanted: ActorMembership[],
  ): Promise<void> {
    const rows = await manager.findBy(Membership, { userId });
    for (const row of rows) {
      if (wanted.some((m) => m.frameworkId === row.frameworkId)) continue;
      await manager.delete(Membership, { id: row.id });
      await this.audit.recordEvent(
        {
          action: 'delete',
          entity: 'Membership',
          entityId: String(row.id),
          changes: {
            userId: { from: userId, to: null },
            frameworkId: { from: row.frameworkId, to: null },
            role: { from: row.role, to: null },
            departmentId: { from: row.departmentId, to: null },
          },
        },
        manager,
      );
    }
    for (const membership of wanted) {
      const row = rows.find((r) => r.frameworkId === membership.frameworkId);
      if (!row) {
        await manager.save(Membership, manager.create(Membership, { userId, ...membership }));
      } else if (row.role !== membership.role || row.departmentId !== membership.departmentId) {
        row.role = membership.role;
        row.departmentId = membership.departmentId;
        await manager.save(Membership, row);
      }
    }
  }

  /**
   * What a create would refuse about a role with its organisation in a plan (null: before any plan exists), for
   * the command line to say before it asks for a password.
   */
  roleProblems(frameworkId: number | null, role: Role, departmentId: number | null): Promise<FieldError[]> {
    return this.checkRoleAndDepartment(
      this.users.manager,
      role,
      departmentId,
      'departmentId',
      frameworkId === null ? null : { frameworkId, current: [] },
    );
  }

  /**
   * A role with its organisation, checked in the words of the plan it is for (`plan`; null: the request's plan or,
   * before any plan exists, the Bremen words). An editor's organisation must take part in the plan, as the
   * organisations a plan's measures and meetings name; a membership the account already holds is kept even if
   * its organisation has left the plan since.
   */
  private async checkRoleAndDepartment(
    manager: EntityManager,
    role: Role,
    departmentId: number | null,
    field: string,
    plan: { frameworkId: number; current: ActorMembership[] } | null,
  ): Promise<FieldError[]> {
    // Read only for a message: most memberships pass without one.
    const words = () => (plan ? wordsOfPlan(manager, plan.frameworkId) : Promise.resolve(planWords()));
    if (role === 'editor') {
      if (!departmentId) return [{ field, messages: ['ist für die Rolle editor ein Pflichtfeld'] }];
      const department = await manager.findOne(Department, {
        select: { id: true, code: true },
        where: { id: departmentId },
      });
      if (!department)
        return [{ field, messages: [`${(await words()).organisation} ${departmentId} gibt es nicht`] }];
      const kept = plan?.current.some(
        (m) => m.frameworkId === plan.frameworkId && m.departmentId === departmentId,
      );
      if (plan && !kept && (await departmentsOutsidePlan(manager, plan.frameworkId, [departmentId])).length) {
        const w = await words();
        return [
          {
            field,
            messages: [`${w.organisation} ${department.code} nimmt an diesem ${planWord(w)} nicht teil`],
          },
        ];
      }
    } else if (departmentId) {
      return [
        {
          field,
          messages: [
            wordedIn(
              await words(),
              'nur Konten der Rolle editor gehören zu einem Ressort',
              'ist nur bei Konten der Rolle editor anzugeben',
            ),
          ],
        },
      ];
    }
    return [];
  }
}
