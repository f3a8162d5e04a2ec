import { Column, Entity, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';

export const CYCLE_STATES = ['planned', 'collecting', 'reviewing', 'closed', 'published'] as const;
export type CycleState = (typeof CYCLE_STATES)[number];

/** Berichtszyklus: a (usually two-year) period that ends in one Umsetzungsbericht. */
@Entity('reporting_cycles')
export class ReportingCycle {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 40, unique: true })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'date' })
  periodStart: string;

  @Column({ type: 'date' })
  periodEnd: string;

  @Column({ type: 'date' })
  inputDeadline: string;

  @Column({ type: 'date', nullable: true })
  publicationTarget: string | null;

  @Column({ type: 'varchar', length: 20, default: 'planned' })
  state: CycleState;

  @VersionColumn()
  version: number;
}
