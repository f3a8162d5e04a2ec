import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  VersionColumn,
} from 'typeorm';
import { Framework } from '../framework/framework.entity.js';
import { GovernanceBody } from './governance-body.entity.js';
import type { ParticipationType } from './governance.constants.js';

/** Sitzung of a body; for Beteiligungsformate also type, topic fields and number of participants. */
@Entity('meetings')
@Index(['frameworkId'])
@Index(['bodyId', 'date'])
export class Meeting {
  @PrimaryGeneratedColumn()
  id: number;

  /** The plan (Rahmenkonzept) this record belongs to. */
  @Column({ type: 'integer' })
  @ForeignKey(() => Framework, { onDelete: 'RESTRICT' })
  frameworkId: number;

  @Column({ type: 'integer' })
  bodyId: number;

  @ManyToOne(() => GovernanceBody, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'bodyId' })
  body?: Relation<GovernanceBody>;

  @Column({ type: 'date' })
  date: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  /** Place or format (e.g. "Rathaus, Kaminsaal" or "Videokonferenz"). */
  @Column({ type: 'varchar', length: 200, default: '' })
  place: string;

  @Column({ type: 'simple-json' })
  attendingDepartmentIds: number[];

  @Column({ type: 'text', default: '' })
  agenda: string;

  @Column({ type: 'text', default: '' })
  minutesSummary: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  participationType: ParticipationType | null;

  @Column({ type: 'simple-json' })
  topicActionFieldIds: number[];

  @Column({ type: 'integer', nullable: true })
  participantCount: number | null;

  @Column({ type: 'boolean', default: false })
  isExample: boolean;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;
}
