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
  VersionColumn,
} from 'typeorm';
import { Framework } from '../framework/framework.entity.js';
import { Department } from '../framework/department.entity.js';
import { Measure } from '../measures/measure.entity.js';
import type { DecisionKind, DecisionState } from './governance.constants.js';
import { Meeting } from './meeting.entity.js';

/** Beschluss taken in a meeting, with a responsible department, a due date and a state. */
@Entity('decisions')
@Index(['frameworkId'])
@Index(['state', 'dueDate'])
@Index(['responsibleDepartmentId'])
export class Decision {
  @PrimaryGeneratedColumn()
  id: number;

  /** The plan (Rahmenkonzept) this record belongs to. */
  @Column({ type: 'integer' })
  @ForeignKey(() => Framework, { onDelete: 'RESTRICT' })
  frameworkId: number;

  @Column({ type: 'integer' })
  meetingId: number;

  @ManyToOne(() => Meeting, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'meetingId' })
  meeting?: Relation<Meeting>;

  @Column({ type: 'varchar', length: 20 })
  kind: DecisionKind;

  @Column({ type: 'text' })
  text: string;

  @ManyToMany(() => Measure)
  @JoinTable({
    name: 'decision_measures',
    joinColumn: { name: 'decisionId', referencedColumnName: 'id' },
    inverseJoinColumn: { name: 'measureId', referencedColumnName: 'id' },
  })
  measures?: Relation<Measure[]>;

  @Column({ type: 'integer' })
  responsibleDepartmentId: number;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'responsibleDepartmentId' })
  responsibleDepartment?: Relation<Department>;

  @Column({ type: 'date', nullable: true })
  dueDate: string | null;

  @Column({ type: 'varchar', length: 20, default: 'open' })
  state: DecisionState;

  @Column({ type: 'boolean', default: false })
  isExample: boolean;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;
}
