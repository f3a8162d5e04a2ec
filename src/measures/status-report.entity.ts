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
import { Measure } from './measure.entity.js';
import type { MeasureStatus, ReviewState } from './measure.constants.js';

/** Sachstandsmeldung: a dated report of a measure's status. Append-only: reports are never edited or deleted. */
@Entity('status_reports')
@Index(['measureId', 'reportedAt'])
@Index(['reviewState'])
@Index(['reportedAt'])
export class StatusReport {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  measureId: number;

  @ManyToOne(() => Measure, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'measureId' })
  measure?: Relation<Measure>;

  @Column({ type: 'varchar', length: 20 })
  status: MeasureStatus;

  @Column({ type: 'integer' })
  progress: number;

  /** Sachstand. */
  @Column({ type: 'text' })
  summary: string;

  @Column({ type: 'text', default: '' })
  obstacles: string;

  @Column({ type: 'text', default: '' })
  nextSteps: string;

  /** The day the report speaks for. */
  @Column({ type: 'date' })
  reportedAt: string;

  /** null for reports loaded from a file (example data). */
  @Column({ type: 'integer', nullable: true })
  authorId: number | null;

  @Column({ type: 'varchar', length: 20, default: 'submitted' })
  reviewState: ReviewState;

  @Column({ type: 'text', default: '' })
  reviewComment: string;

  @Column({ type: 'integer', nullable: true })
  reviewedById: number | null;

  @Column({ nullable: true })
  reviewedAt?: Date;

  /** The returned report this one corrects, if any. */
  @Column({ type: 'integer', nullable: true })
  correctsReportId: number | null;

  @Column({ type: 'boolean', default: false })
  isExample: boolean;

  @CreateDateColumn()
  createdAt: Date;
}
