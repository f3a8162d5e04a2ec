import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AuditChanges = Record<string, { from: unknown; to: unknown }>;

/** Who changed what, when, and what it was before. Append-only: there is no code path that updates or deletes. */
@Entity('audit_entries')
@Index(['entity', 'entityId'])
@Index(['userId'])
@Index(['createdAt'])
@Index('IDX_audit_entries_plan', ['frameworkId', 'id'])
export class AuditEntry {
  @PrimaryGeneratedColumn()
  id: number;

  @CreateDateColumn()
  createdAt: Date;

  /** null: the system (start-up loading, command line without a user). */
  @Column({ type: 'integer', nullable: true })
  userId: number | null;

  @Column({ type: 'varchar', length: 254, default: '' })
  userEmail: string;

  /** create, update, lifecycle, review, transition, login, login_failed, logout, … */
  @Column({ type: 'varchar', length: 40 })
  action: string;

  @Column({ type: 'varchar', length: 60 })
  entity: string;

  @Column({ type: 'varchar', length: 60, default: '' })
  entityId: string;

  @Column({ type: 'simple-json' })
  changes: AuditChanges;

  @Column({ type: 'varchar', length: 500, default: '' })
  note: string;

  @Column({ type: 'varchar', length: 64, default: '' })
  ipAddress: string;

  @Column({ type: 'varchar', length: 64, default: '' })
  requestId: string;

  /**
   * The plan (Rahmenkonzept) the entry is about; null for the installation's own business (accounts,
   * sign-ins, the directory of organisations). No foreign key: the trail outlives what it describes.
   */
  @Column({ type: 'integer', nullable: true })
  frameworkId: number | null;
}
