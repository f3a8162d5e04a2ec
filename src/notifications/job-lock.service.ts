/**
 * A database lease for scheduled jobs: one instance of the installation holds it at a time, until it releases
 * it or the lease runs out (a crashed holder blocks no one for longer than the lease).
 */
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobLock } from './job-lock.entity.js';

@Injectable()
export class JobLockService {
  /** This instance's name in the lock table. */
  readonly holder = `instanz-${randomUUID()}`;

  constructor(private readonly dataSource: DataSource) {}

  /** True when this instance now holds the lease on `name` for `leaseMs`. */
  async acquire(name: string, leaseMs: number, now = Date.now()): Promise<boolean> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(JobLock)
      .values({ name, holder: '', leaseUntil: '0' })
      .orIgnore()
      .callListeners(false)
      .execute();
    const result = await this.dataSource
      .createQueryBuilder()
      .update(JobLock)
      .set({ holder: this.holder, leaseUntil: String(now + leaseMs) })
      .where('"name" = :name AND ("leaseUntil" < :now OR "holder" = :holder)', {
        name,
        now,
        holder: this.holder,
      })
      .callListeners(false)
      .execute();
    return result.affected === 1;
  }

  async release(name: string): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(JobLock)
      .set({ leaseUntil: '0' })
      .where('"name" = :name AND "holder" = :holder', { name, holder: this.holder })
      .callListeners(false)
      .execute();
  }
}
