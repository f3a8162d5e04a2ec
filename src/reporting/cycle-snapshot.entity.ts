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
}
