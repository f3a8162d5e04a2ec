import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import type { FrameworkAtClose } from './framework-at-close.js';
import { ReportingCycle } from './reporting-cycle.entity.js';

/**
 * The frozen state of every measure at a cycle's close. Closing again after a reopen writes a new snapshot
 * and marks the old one superseded; nothing is deleted.
 */
@Entity('cycle_snapshots')
@Index(['cycleId', 'supersededAt'])
export class CycleSnapshot {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  cycleId: number;

  @ManyToOne(() => ReportingCycle, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cycleId' })
  cycle?: Relation<ReportingCycle>;

  @CreateDateColumn()
  takenAt: Date;

  @Column({ type: 'integer', nullable: true })
  takenById: number | null;

  @Column({ type: 'integer' })
  measureCount: number;

  @Column({ nullable: true })
  supersededAt?: Date;

  /**
   * The goals, fields, departments and bodies with their titles at the close (see framework-at-close.ts), so
   * that the report and the dashboard of a closed cycle keep them whatever was revised since. Null for a
   * snapshot taken before this was kept: then the current ones stand in.
   */
  @Column({ type: 'simple-json', nullable: true })
  framework?: FrameworkAtClose | null;
}
