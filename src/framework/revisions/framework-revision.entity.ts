import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Framework } from '../framework.entity.js';
import type { RevisionChange } from './revision-changes.js';

/** Where a revision came from: the API or page, or a framework file with a higher version. */
export const REVISION_SOURCES = ['api', 'file'] as const;
export type RevisionSource = (typeof REVISION_SOURCES)[number];

/** What a revision did, beyond its own entries: the measures, accounts and bodies it touched. */
export interface RevisionEffects {
  lines: string[];
  measures: { id: number; code: string; from: string; to: string }[];
  accounts: { id: number; email: string; from: string; to: string }[];
  bodies: { code: string; change: string }[];
}

/**
 * Fortschreibung: one change of the framework with its effective date, reason, author and version labels,
 * the changes as structured data and what they touched. Append-only: kept forever, never edited.
 */
@Entity('framework_revisions')
@Index(['frameworkId'])
@Index(['effectiveDate'])
export class FrameworkRevision {
  @PrimaryGeneratedColumn()
  id: number;

  /** The plan (Rahmenkonzept) this record belongs to. */
  @Column({ type: 'integer' })
  @ForeignKey(() => Framework, { onDelete: 'RESTRICT' })
  frameworkId: number;

  @Column({ type: 'date' })
  effectiveDate: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'integer', nullable: true })
  authorId: number | null;

  /** The author as a person reads it (name and e-mail, or "Rahmenkonzept-Datei …"). */
  @Column({ type: 'varchar', length: 400 })
  authorName: string;

  @Column({ type: 'varchar', length: 40 })
  versionBefore: string;

  @Column({ type: 'varchar', length: 40 })
  versionAfter: string;

  @Column({ type: 'varchar', length: 10 })
  source: RevisionSource;

  @Column({ type: 'simple-json' })
  changes: RevisionChange[];

  @Column({ type: 'simple-json' })
  effects: RevisionEffects;

  @CreateDateColumn()
  appliedAt: Date;
}
