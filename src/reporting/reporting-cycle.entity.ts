import { Column, Entity, ForeignKey, PrimaryGeneratedColumn, Unique, VersionColumn } from 'typeorm';
import { Framework } from '../framework/framework.entity.js';

export const CYCLE_STATES = ['planned', 'collecting', 'reviewing', 'closed', 'published'] as const;
export type CycleState = (typeof CYCLE_STATES)[number];

export const CYCLE_STATE_LABELS: Record<CycleState, string> = {
  planned: 'geplant',
  collecting: 'Erfassung',
  reviewing: 'Prüfung',
  closed: 'abgeschlossen',
  published: 'veröffentlicht',
};

/**
 * The allowed moves: forward one step at a time; back from closed to reviewing (reopen) and from published to
 * closed (unpublish), both only with a reason (CYCLE_REASON_REQUIRED).
 */
export const CYCLE_TRANSITIONS: Record<CycleState, CycleState[]> = {
  planned: ['collecting'],
  collecting: ['reviewing'],
  reviewing: ['closed'],
  closed: ['published', 'reviewing'],
  published: ['closed'],
};

/** The moves back, keyed "from>to": each needs a reason (at least 5 characters); the German field error. */
export const CYCLE_REASON_REQUIRED: Partial<Record<`${CycleState}>${CycleState}`, string>> = {
  'closed>reviewing': 'Eine Begründung (mindestens 5 Zeichen) ist zum Wiedereröffnen nötig',
  'published>closed':
    'Eine Begründung (mindestens 5 Zeichen) ist zum Zurücknehmen der Veröffentlichung nötig',
};

/** Berichtszyklus: a (usually two-year) period that ends in one Umsetzungsbericht. */
@Entity('reporting_cycles')
@Unique(['frameworkId', 'code'])
export class ReportingCycle {
  @PrimaryGeneratedColumn()
  id: number;

  /** The plan (Rahmenkonzept) this record belongs to. */
  @Column({ type: 'integer' })
  @ForeignKey(() => Framework, { onDelete: 'RESTRICT' })
  frameworkId: number;

  @Column({ type: 'varchar', length: 40 })
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

  /** Reason given when a closed cycle was last reopened. */
  @Column({ type: 'text', default: '' })
  reopenReason: string;

  @Column({ nullable: true })
  closedAt?: Date;

  @Column({ nullable: true })
  publishedAt?: Date;

  /** Reason given when the publication was last taken back (published → closed). */
  @Column({ type: 'text', default: '' })
  unpublishReason: string;

  @Column({ nullable: true })
  unpublishedAt?: Date;

  /**
   * Chosen when publishing: the accepted reports' obstacles and next steps (as the snapshot holds them) are
   * public with this cycle.
   */
  @Column({ type: 'boolean', default: false })
  publicReportTexts: boolean;

  @VersionColumn()
  version: number;
}
