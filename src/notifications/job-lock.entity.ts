import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A lease on a scheduled job, so that it runs once per installation however many instances share the
 * database: whoever moves `leaseUntil` (milliseconds since 1970) into the future holds it until then.
 */
@Entity('job_locks')
export class JobLock {
  @PrimaryColumn({ type: 'varchar', length: 60 })
  name: string;

  @Column({ type: 'varchar', length: 100 })
  holder: string;

  @Column({ type: 'bigint' })
  leaseUntil: string;
}
