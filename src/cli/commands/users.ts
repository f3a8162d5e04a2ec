/** Accounts from the terminal: create (validated like POST /api/users), deactivate, reset the password. */
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CreateUserDto, ResetPasswordDto } from '../../auth/dto/auth.dto.js';
import { passwordProblems } from '../../auth/password-policy.js';
import { User } from '../../auth/user.entity.js';
import { UsersService } from '../../auth/users.service.js';
import { InvalidInputException, validateDto } from '../../common/http/validation.js';
import { Department } from '../../framework/department.entity.js';
import { Framework } from '../../framework/framework.entity.js';
import { CLI_ACTOR, withApp } from '../app-context.js';
import { CliError, fieldErrorLine, type OptionNames } from '../errors.js';
import { readPassword } from '../password-prompt.js';

/** The API's field names → the options of user:create and user:reset-password. */
const OPTION_NAMES: OptionNames = {
  email: '--email',
  displayName: '--name',
  role: '--role',
  departmentId: '--department',
  password: '--password',
  'memberships.0.role': '--role',
  'memberships.0.departmentId': '--department',
  'memberships.0.frameworkId': '--plan',
};

/** Stands in for the department's id until the code is looked up: the DTO checks only that one is given. */
const SOME_DEPARTMENT_ID = 1;

export interface CreateUserOptions {
  email: string;
  name: string;
  role: string;
  department?: string;
  /** The plan the role holds in; without it, the only plan (or, for admin, every plan as installation administration). */
  plan?: string;
  password?: string;
}

/** Validates like the API's pipe; throws one line naming the options, or returns the transformed body. */
async function validated<T extends object>(
  dto: new () => T,
  body: Record<string, unknown>,
  ignore: string[] = [],
): Promise<T> {
  const { value, errors } = await validateDto(dto, body);
  const relevant = errors.filter((e) => !ignore.includes(e.field));
  if (relevant.length)
    throw new CliError(fieldErrorLine('Die Eingabe ist ungültig.', relevant, OPTION_NAMES));
  return value;
}

/** The service's refusals of a field (weak password, unknown department) named as options, too. */
async function inOptionTerms<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidInputException) {
      const body = error.getResponse() as {
        message: string;
        errors?: { field: string; messages: string[] }[];
      };
      throw new CliError(fieldErrorLine(body.message, body.errors, OPTION_NAMES));
    }
    throw error;
  }
}

export async function createUser(options: CreateUserOptions): Promise<void> {
  const body = {
    email: options.email,
    displayName: options.name,
    role: options.role,
    departmentId: options.department === undefined ? undefined : SOME_DEPARTMENT_ID,
  };
  // Everything but the password first, so nobody types a password for a command that cannot succeed.
  const checked = await validated(CreateUserDto, { ...body, password: options.password }, [
    ...(options.password === undefined ? ['password'] : []),
  ]);
  await withApp(async (app) => {
    let departmentId: number | undefined;
    if (options.department !== undefined) {
      const department = await app
        .get(DataSource)
        .manager.findOneBy(Department, { code: options.department });
      if (!department) throw new CliError(`Unbekanntes Ressort ${options.department}`);
      departmentId = department.id;
    }
    let planId: number | undefined;
    if (options.plan !== undefined) {
      const plan = await app.get(DataSource).manager.findOneBy(Framework, { code: options.plan });
      if (!plan) throw new CliError(`Unbekannter Plan ${options.plan}`);
      planId = plan.id;
    }
    // The role and organisation in the plan they are for (the one named, else the only one), checked by the
    // service's own rule before the password is asked for.
    const plans = await app.get(DataSource).manager.find(Framework, { select: { id: true }, take: 2 });
    const target = planId ?? (plans.length === 1 ? plans[0].id : null);
    const problems =
      checked.role === undefined
        ? []
        : await app.get(UsersService).roleProblems(target, checked.role, departmentId ?? null);
    if (problems.length)
      throw new CliError(fieldErrorLine('Die Eingabe ist ungültig.', problems, OPTION_NAMES));
    const password = await readPassword(options.password, (candidate) =>
      passwordProblems(candidate, checked.email),
    );
    const dto = await validated(CreateUserDto, { ...body, departmentId, password });
    const user = await inOptionTerms(() =>
      planId === undefined
        ? app.get(UsersService).create(dto)
        : // The role holds in the plan named: a membership there, not the installation's administration.
          app.get(UsersService).create({
            ...dto,
            role: undefined,
            departmentId: undefined,
            installationAdmin: false,
            memberships: [{ frameworkId: planId, role: dto.role!, departmentId: dto.departmentId ?? null }],
          }),
    );
    console.log(`Konto ${user.email} (${user.role}) angelegt, ID ${user.id}`);
  });
}

async function findUser(app: INestApplicationContext, email: string): Promise<User> {
  const user = await app.get(DataSource).manager.findOneBy(User, { email: email.trim().toLowerCase() });
  if (!user) throw new CliError(`Kein Konto mit der E-Mail-Adresse ${email}`);
  return user;
}

export async function deactivateUser(options: { email: string }): Promise<void> {
  await withApp(async (app) => {
    const user = await findUser(app, options.email);
    await app.get(UsersService).update(user.id, { version: user.version, active: false }, CLI_ACTOR);
    console.log(`Konto ${user.email} deaktiviert`);
  });
}

export async function resetPassword(options: { email: string; password?: string }): Promise<void> {
  await withApp(async (app) => {
    const user = await findUser(app, options.email);
    const password = await readPassword(options.password, (candidate) =>
      passwordProblems(candidate, user.email),
    );
    await validated(ResetPasswordDto, { password });
    await inOptionTerms(() => app.get(UsersService).resetPassword(user.id, password));
    console.log(`Passwort für ${user.email} zurückgesetzt`);
  });
}
