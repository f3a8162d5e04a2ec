import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  JoinColumn,
  JoinTable,
  ManyToMany,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  Unique,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { Framework } from '../framework/framework.entity.js';
import { ActionField } from '../framework/action-field.entity.js';
import { Department } from '../framework/department.entity.js';
import { Goal } from '../framework/goal.entity.js';
import type { AuditChanges } from '../audit/audit-entry.entity.js';
import type { MeasureLevel, MeasureLifecycle, MeasureStatus } from './measure.constants.js';

/**
 * Maßnahme: a concrete action in one field, led by one department. Its current status and progress mirror its
 * latest accepted status report (kept here, updated in the same transaction, so lists and dashboards can filter
 * and count without scanning the report history).
 */
@Entity('measures')
@Unique(['frameworkId', 'code'])
@Index(['leadDepartmentId', 'lifecycle'])
@Index(['actionFieldId', 'lifecycle'])
@Index(['status'])
// Due measures of a cycle per department, and stale measures, read from the index alone.
@Index(['lifecycle', 'leadDepartmentId', 'plannedStart'])
@Index(['lifecycle', 'statusDate', 'code'])
@Index(['sortKey', 'code'])
export class Measure {
  @PrimaryGeneratedColumn()
  id: number;

  /** The plan (Rahmenkonzept) this record belongs to. */
  @Column({ type: 'integer' })
  @ForeignKey(() => Framework, { onDelete: 'RESTRICT' })
  frameworkId: number;

  @Column({ type: 'varchar', length: 30 })
  code: string;

  /** `naturalSortKey(code)`: lists and reports order by it, then by code. Set with the code. */
  @Column({ type: 'varchar', length: 160, default: '' })
  sortKey: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'integer' })
  actionFieldId: number;

  @ManyToOne(() => ActionField, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'actionFieldId' })
  actionField?: Relation<ActionField>;

  @ManyToMany(() => Goal)
  @JoinTable({
    name: 'measure_goals',
    joinColumn: { name: 'measureId', referencedColumnName: 'id' },
    inverseJoinColumn: { name: 'goalId', referencedColumnName: 'id' },
  })
  goals?: Relation<Goal[]>;

  @Column({ type: 'integer' })
  leadDepartmentId: number;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'leadDepartmentId' })
  leadDepartment?: Relation<Department>;

  @ManyToMany(() => Department)
  @JoinTable({
    name: 'measure_participating_departments',
    joinColumn: { name: 'measureId', referencedColumnName: 'id' },
    inverseJoinColumn: { name: 'departmentId', referencedColumnName: 'id' },
  })
  participatingDepartments?: Relation<Department[]>;

  @Column({ type: 'varchar', length: 20 })
  level: MeasureLevel;

  @Column({ type: 'simple-json' })
  targetGroups: string[];

  @Column({ type: 'date', nullable: true })
  plannedStart: string | null;

  @Column({ type: 'date', nullable: true })
  plannedEnd: string | null;

  /** Euros; optional. */
  @Column({ type: 'double precision', nullable: true })
  budget: number | null;

  @Column({ type: 'varchar', length: 20, default: 'active' })
  lifecycle: MeasureLifecycle;

  @Column({ type: 'text', default: '' })
  lifecycleReason: string;

  @Column({ type: 'integer', nullable: true })
  mergedIntoId: number | null;

  /** The decision (Beschluss) that changed the lifecycle, e.g. the one that discontinued the measure. */
  @Column({ type: 'integer', nullable: true })
  lifecycleDecisionId: number | null;

  /** Status of the latest accepted report; null while there is none ("keine Meldung"). */
  @Column({ type: 'varchar', length: 20, nullable: true })
  status: MeasureStatus | null;

  @Column({ type: 'integer', nullable: true })
  progress: number | null;

  @Column({ type: 'date', nullable: true })
  statusDate: string | null;

  @Column({ type: 'boolean', default: false })
  isExample: boolean;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;

  /** Not stored: changes of links kept in their own tables (the areas), for the audit entry of this save. */
  auditExtraChanges?: AuditChanges;
}
