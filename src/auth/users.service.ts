/** Accounts: create, change role or department, deactivate, reset the password. Admin work, audited. */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import bcrypt from 'bcryptjs';
import { type EntityManager, Repository } from 'typeorm';
import { AppConfig } from '../common/config/app-config.js';
import { type Actor, RequestContext } from '../common/context/request-context.js';
import { conflict, notFound } from '../common/http/domain-errors.js';
import { type FieldError, InvalidInputException } from '../common/http/validation.js';
import { DATA_VERSION_SQL, num, queryNamed } from '../database/sql.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { Department } from '../framework/department.entity.js';
import type { Page } from '../common/paging.js';
import type { CreateUserDto, UpdateUserDto } from './dto/auth.dto.js';
import { passwordProblems } from './password-policy.js';
import { type Role, User } from './user.entity.js';
import { UserError } from './user-errors.js';

export interface UserView {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
  active: boolean;
  isDemo: boolean;
  version: number;
  createdAt: string;
}

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    departmentId: user.departmentId,
    active: user.active,
    isDemo: user.isDemo,
    version: user.version,
    createdAt: new Date(user.createdAt).toISOString(),
  };
}

export function toActor(user: Pick<User, 'id' | 'email' | 'displayName' | 'role' | 'departmentId'>): Actor {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    departmentId: user.departmentId,
  };
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
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
    return { items: rows.map(toUserView), total, page, pageSize };
  }

  async get(id: number): Promise<UserView> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw notFound(UserError.NOT_FOUND, `Konto ${id} wurde nicht gefunden.`);
    return toUserView(user);
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
        errors.push(...(await this.checkRoleAndDepartment(manager, dto.role, dto.departmentId ?? null)));
        if (errors.length) throw new InvalidInputException(errors);
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
            role: dto.role,
            departmentId: dto.role === 'editor' ? (dto.departmentId ?? null) : null,
            passwordHash,
            active: true,
            tokenGeneration: 0,
            isDemo: options.isDemo ?? false,
          }),
        );
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
        const role = dto.role ?? user.role;
        const departmentId = dto.departmentId !== undefined ? dto.departmentId : user.departmentId;
        const errors = await this.checkRoleAndDepartment(
          manager,
          role,
          role === 'editor' ? departmentId : (dto.departmentId ?? null),
        );
        if (errors.length) throw new InvalidInputException(errors);
        if (actor.id === id && (dto.active === false || (dto.role && dto.role !== 'admin'))) {
          throw conflict(
            UserError.SELF_LOCKOUT,
            'Sie können Ihr eigenes Konto nicht deaktivieren oder herabstufen.',
          );
        }
        const wasActive = user.active;
        const roleChanged = role !== user.role || (role === 'editor' && departmentId !== user.departmentId);
        user.displayName = dto.displayName ?? user.displayName;
        user.role = role;
        user.departmentId = role === 'editor' ? departmentId : null;
        user.active = dto.active ?? user.active;
        // Deactivation or a change of rights ends every session at once.
        if ((wasActive && !user.active) || roleChanged) user.tokenGeneration += 1;
        user.version = dto.version + 1;
        await manager.save(User, user);
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
   * For every signed-in request, in one round trip: what the session check needs of the account, and the
   * data version as the request begins (read by the dashboard, see DashboardService.current).
   */
  async findForRequest(id: number): Promise<{
    account: Pick<
      User,
      'id' | 'email' | 'displayName' | 'role' | 'departmentId' | 'active' | 'tokenGeneration'
    >;
    dataVersion: string;
  } | null> {
    const [row] = await queryNamed<Record<string, unknown>>(
      this.users.manager,
      `SELECT u."id", u."email", u."displayName", u."role", u."departmentId", u."active", u."tokenGeneration",
              (${DATA_VERSION_SQL}) AS "dataVersion"
         FROM "users" u WHERE u."id" = :id`,
      { id },
    );
    if (!row) return null;
    return {
      account: {
        id: num(row.id),
        email: String(row.email),
        displayName: String(row.displayName),
        role: row.role as Role,
        departmentId: row.departmentId === null ? null : num(row.departmentId),
        active: row.active === true || row.active === 1,
        tokenGeneration: num(row.tokenGeneration),
      },
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

  private async checkRoleAndDepartment(
    manager: EntityManager,
    role: Role,
    departmentId: number | null,
  ): Promise<FieldError[]> {
    if (role === 'editor') {
      if (!departmentId)
        return [{ field: 'departmentId', messages: ['ist für die Rolle editor ein Pflichtfeld'] }];
      if (!(await manager.existsBy(Department, { id: departmentId }))) {
        return [{ field: 'departmentId', messages: [`Ressort ${departmentId} gibt es nicht`] }];
      }
    } else if (departmentId) {
      return [{ field: 'departmentId', messages: [`nur Konten der Rolle editor gehören zu einem Ressort`] }];
    }
    return [];
  }
}
