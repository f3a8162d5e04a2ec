import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { MeasureLevel, MeasureLifecycle, MeasureStatus } from '../measures/measure.constants.js';
import { CycleSnapshot } from './cycle-snapshot.entity.js';

/** Master data as it was at the close, by code and title, so that later renames do not change the report. */
export interface SnapshotMasterData {
  title: string;
  description: string;
  actionFieldCode: string;
  actionFieldTitle: string;
  goalIds: number[];
  goalCodes: string[];
  leadDepartmentCode: string;
  leadDepartmentName: string;
  participatingDepartmentIds: number[];
  participatingDepartmentCodes: string[];
  plannedStart: string | null;
  plannedEnd: string | null;
  budget: number | null;
  lifecycleReason: string;
}

/** One measure's frozen state in a snapshot: its latest accepted report in the period, or none. */
@Entity('cycle_snapshot_items')
@Index(['snapshotId', 'measureId'], { unique: true })
@Index(['snapshotId', 'sortKey', 'code'])
export class CycleSnapshotItem {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  snapshotId: number;

  @ManyToOne(() => CycleSnapshot, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'snapshotId' })
  snapshot?: Relation<CycleSnapshot>;

  @Column({ type: 'integer' })
  measureId: number;

  @Column({ type: 'varchar', length: 30 })
  code: string;

  /** The measure's natural sort key as at the close. */
  @Column({ type: 'varchar', length: 160, default: '' })
  sortKey: string;

  @Column({ type: 'integer' })
  actionFieldId: number;

  @Column({ type: 'integer' })
  leadDepartmentId: number;

  @Column({ type: 'varchar', length: 20 })
  level: MeasureLevel;

  @Column({ type: 'varchar', length: 20 })
  lifecycle: MeasureLifecycle;

  @Column({ type: 'boolean', default: false })
  isExample: boolean;

  @Column({ type: 'simple-json' })
  targetGroups: string[];

  /** null: "keine Meldung" in the period. */
  @Column({ type: 'integer', nullable: true })
  reportId: number | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  status: MeasureStatus | null;

  @Column({ type: 'integer', nullable: true })
  progress: number | null;

  @Column({ type: 'date', nullable: true })
  reportedAt: string | null;

  @Column({ type: 'text', default: '' })
  summary: string;

  @Column({ type: 'text', default: '' })
  obstacles: string;

  @Column({ type: 'text', default: '' })
  nextSteps: string;

  @Column({ type: 'simple-json' })
  master: SnapshotMasterData;
}
