import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  VersionColumn,
} from 'typeorm';
import { Indicator } from './indicator.entity.js';

/** One value of an indicator for a year and a group (e.g. "mit Migrationshintergrund"). */
@Entity('indicator_values')
@Index(['indicatorId', 'year', 'group'], { unique: true })
export class IndicatorValue {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  indicatorId: number;

  @ManyToOne(() => Indicator, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'indicatorId' })
  indicator?: Relation<Indicator>;

  @Column({ type: 'integer' })
  year: number;

  @Column({ type: 'varchar', length: 60 })
  group: string;

  @Column({ type: 'double precision' })
  value: number;

  @Column({ type: 'varchar', length: 300, default: '' })
  note: string;

  @Column({ type: 'boolean', default: false })
  isExample: boolean;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;
}
