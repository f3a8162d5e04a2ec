import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const MEASURE_CHANGE_KINDS = [
  'new',
  'changed',
  'extended',
  'discontinued',
  'merged',
  'reactivated',
] as const;
export type MeasureChangeKind = (typeof MEASURE_CHANGE_KINDS)[number];

export const MEASURE_CHANGE_LABELS: Record<MeasureChangeKind, string> = {
  new: 'neu',
  changed: 'geändert',
  extended: 'verlängert',
  discontinued: 'eingestellt',
  merged: 'zusammengeführt',
  reactivated: 'reaktiviert',
};

/**
 * A change of a measure's substance (new, changed, extended, discontinued, merged) with its reason: the
 * decision (Beschluss) that caused it, when there is one. Append-only; the report's Änderungen sheet and the
 * measure's history read it.
 */
@Entity('measure_changes')
@Index(['measureId'])
@Index(['decisionId'])
@Index(['createdAt'])
export class MeasureChange {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  measureId: number;

  @Column({ type: 'varchar', length: 20 })
  kind: MeasureChangeKind;

  @Column({ type: 'integer', nullable: true })
  decisionId: number | null;

  @Column({ type: 'text', default: '' })
  reason: string;

  /** What changed, field by field, in words for people (e.g. "Ende 31.12.2025 → 31.12.2027"). */
  @Column({ type: 'text', default: '' })
  summary: string;

  @Column({ type: 'integer', nullable: true })
  userId: number | null;

  @Column({ type: 'boolean', default: false })
  isExample: boolean;

  @CreateDateColumn()
  createdAt: Date;
}
