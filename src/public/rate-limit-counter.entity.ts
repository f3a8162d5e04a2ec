import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Requests per address and minute, summed over every instance on the database (public-rate-limit.guard.ts).
 * Only the current and the previous minute are kept; the address is kept only as a hash.
 */
@Entity('rate_limit_counters')
@Index('IDX_rate_limit_counters_minute', ['minute'])
export class RateLimitCounter {
  /** Which limit counts here (one per limited area, e.g. `public`). */
  @PrimaryColumn({ type: 'varchar', length: 20 })
  scope: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  keyHash: string;

  /** Minutes since 1970. */
  @PrimaryColumn({ type: 'integer' })
  minute: number;

  @Column({ type: 'integer' })
  hits: number;
}
