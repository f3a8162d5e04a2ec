import {
  Column,
  Entity,
  ForeignKey,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  Unique,
  VersionColumn,
} from 'typeorm';
import { Framework } from '../framework/framework.entity.js';
import { ActionField } from '../framework/action-field.entity.js';

export const INDICATOR_DIRECTIONS = ['higher_is_better', 'lower_is_better', 'neutral'] as const;
export type IndicatorDirection = (typeof INDICATOR_DIRECTIONS)[number];

/** Indikator: a measurable definition (e.g. from the Integrationsmonitoring der Länder) with baseline and target. */
@Entity('indicators')
@Unique(['frameworkId', 'code'])
export class Indicator {
  @PrimaryGeneratedColumn()
  id: number;

  /** The plan (Rahmenkonzept) this record belongs to. */
  @Column({ type: 'integer' })
  @ForeignKey(() => Framework, { onDelete: 'RESTRICT' })
  frameworkId: number;

  @Column({ type: 'varchar', length: 30 })
  code: string;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column({ type: 'text', default: '' })
  definition: string;

  @Column({ type: 'varchar', length: 30, default: '' })
  unit: string;

  @Column({ type: 'varchar', length: 300, default: '' })
  source: string;

  @Index()
  @Column({ type: 'integer', nullable: true })
  actionFieldId: number | null;

  @ManyToOne(() => ActionField, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'actionFieldId' })
  actionField?: Relation<ActionField>;

  @Column({ type: 'varchar', length: 20, default: 'neutral' })
  direction: IndicatorDirection;

  @Column({ type: 'integer', nullable: true })
  baselineYear: number | null;

  @Column({ type: 'double precision', nullable: true })
  baselineValue: number | null;

  @Column({ type: 'varchar', length: 300, default: '' })
  baselineNote: string;

  @Column({ type: 'integer', nullable: true })
  targetYear: number | null;

  @Column({ type: 'double precision', nullable: true })
  targetValue: number | null;

  /** Groups that values may be given for (e.g. gesamt, mit/ohne Migrationshintergrund). */
  @Column({ type: 'simple-json' })
  groups: string[];

  @VersionColumn()
  version: number;
}
