import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One failed sign-in (or wrong current password), shared by every instance on the database. The account and
 * address are kept only as a hash of both; rows older than the limiter's window are deleted as new ones come.
 */
@Entity('login_failures')
@Index('IDX_login_failures_key_time', ['keyHash', 'failedAt'])
@Index('IDX_login_failures_time', ['failedAt'])
export class LoginFailure {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 64 })
  keyHash: string;

  /** Milliseconds since 1970, as JobLock's lease: compared the same way on SQLite and PostgreSQL. */
  @Column({ type: 'bigint' })
  failedAt: string;
}
