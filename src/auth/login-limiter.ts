/**
 * Counts failed sign-ins per account and address in a sliding one-minute window. Only failures count
 * (a generic request throttle would also lock out people who sign in successfully a few times).
 *
 * The failures live in the database (`login_failures`), so every instance on it applies one limit: five
 * failures on one instance and a sixth attempt on another are refused. Each failure is a row of its own (an
 * insert, never a read-modify-write of a counter), so concurrent failures on SQLite and PostgreSQL are all
 * counted.
 *
 * An attempt is recorded before its password is checked (`begin`), and counted against the rows of the same
 * key that came before it (lower id) in the window: attempts still being checked count as failures, so
 * parallel attempts cannot all pass the check before any of them has failed. A refused attempt removes its
 * row again and is never checked; a failed one keeps it; a successful one deletes the key's rows (`reset`).
 * Recording and counting run in one transaction that holds the key's lock (SQLite's single writer; on
 * PostgreSQL an advisory lock on the key), so each attempt sees every earlier one.
 */
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, LessThan, LessThanOrEqual, MoreThan } from 'typeorm';
import { AppConfig } from '../common/config/app-config.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { LoginFailure } from './login-failure.entity.js';

const WINDOW_MS = 60_000;

/** A recorded attempt: allowed (`id` of its row, `retryAfter` 0) or refused (`retryAfter` seconds, no row). */
export interface LoginAttempt {
  id: number | null;
  retryAfter: number;
}

@Injectable()
export class LoginLimiter {
  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
  ) {}

  /**
   * Records an attempt as a failure before its password is checked, and allows it only when fewer than the
   * limit of failures (or attempts still being checked) of the same key came before it in the window. The
   * caller checks the password only when `retryAfter` is 0, then calls `reset` on success and keeps the row
   * on failure.
   */
  async begin(email: string, ip: string, now = Date.now()): Promise<LoginAttempt> {
    const keyHash = this.key(email, ip);
    return this.transactions.run(async (manager) => {
      if (this.dataSource.options.type === 'postgres')
        await manager.query('SELECT pg_advisory_xact_lock($1)', [lockKey(keyHash)]);
      const id = await insertFailure(manager, keyHash, now);
      await this.deleteExpired(manager, now);
      const earlier = await manager.find(LoginFailure, {
        select: { failedAt: true },
        where: { keyHash, id: LessThan(id), failedAt: MoreThan(String(now - WINDOW_MS)) },
        order: { failedAt: 'ASC' },
      });
      const retryAfter = this.wait(earlier, now);
      if (retryAfter === 0) return { id, retryAfter };
      // Refused attempts are not failures: they neither count nor prolong the wait.
      await manager.delete(LoginFailure, { id });
      return { id: null, retryAfter };
    });
  }

  /** Takes back an allowed attempt that was not a failure (e.g. refused for another reason). */
  async release(attempt: LoginAttempt): Promise<void> {
    if (attempt.id === null) return;
    const id = attempt.id;
    await this.transactions.run((manager) => manager.delete(LoginFailure, { id }));
  }

  /** Seconds until the next attempt is allowed, or 0 when it is allowed now. */
  async retryAfter(email: string, ip: string, now = Date.now()): Promise<number> {
    const recent = await this.dataSource.getRepository(LoginFailure).find({
      select: { failedAt: true },
      where: { keyHash: this.key(email, ip), failedAt: MoreThan(String(now - WINDOW_MS)) },
      order: { failedAt: 'ASC' },
    });
    return this.wait(recent, now);
  }

  async recordFailure(email: string, ip: string, now = Date.now()): Promise<void> {
    await this.transactions.run(async (manager) => {
      await insertFailure(manager, this.key(email, ip), now);
      await this.deleteExpired(manager, now);
    });
  }

  async reset(email: string, ip: string): Promise<void> {
    await this.transactions.run((manager) => manager.delete(LoginFailure, { keyHash: this.key(email, ip) }));
  }

  /** 0 when fewer than the limit of `recent` failures (sorted by time) are in the window, else the seconds. */
  private wait(recent: Pick<LoginFailure, 'failedAt'>[], now: number): number {
    const max = this.config.LOGIN_MAX_FAILURES_PER_MINUTE;
    if (recent.length < max) return 0;
    // Allowed again once all but max - 1 of the recent failures have left the window.
    const freeing = Number(recent[recent.length - max].failedAt);
    return Math.max(1, Math.ceil((freeing + WINDOW_MS - now) / 1000));
  }

  /** Failures that left the window count for no one: removed as new ones come (by the time index). */
  private async deleteExpired(manager: EntityManager, now: number): Promise<void> {
    await manager.delete(LoginFailure, { failedAt: LessThanOrEqual(String(now - WINDOW_MS)) });
  }

  /** The account and the address, kept only as a hash of both. */
  private key(email: string, ip: string): string {
    return createHash('sha256').update(`${email.trim().toLowerCase()}|${ip}`).digest('hex');
  }
}

/**
 * One row, without the entity listeners: the sign-in is audited as such (`login_failed`), an attempt's
 * bookkeeping row is no change of data worth a "create" entry of its own.
 */
async function insertFailure(manager: EntityManager, keyHash: string, now: number): Promise<number> {
  const inserted = await manager
    .createQueryBuilder()
    .insert()
    .into(LoginFailure)
    .values({ keyHash, failedAt: String(now) })
    .callListeners(false)
    .execute();
  return Number((inserted.identifiers[0] as { id: number }).id);
}

/** PostgreSQL's advisory locks take a bigint: the first 60 bits of the key's hash. */
function lockKey(keyHash: string): string {
  return BigInt(`0x${keyHash.slice(0, 15)}`).toString();
}
