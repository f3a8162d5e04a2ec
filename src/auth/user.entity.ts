import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { Department } from '../framework/department.entity.js';

export const ROLES = ['admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Koordinierungsstelle (Administration)',
  editor: 'Ressort (Bearbeitung)',
  viewer: 'Lesezugriff',
};

/**
 * An account. Its rights are its memberships (membership.entity.ts) and `installationAdmin`; `role` and
 * `departmentId` are kept as the account's role in the installation's first plan, for readers that predate plans.
 */
@Entity('users')
export class User {
  @PrimaryGeneratedColumn()
  id: number;

  /** Stored lower-case. */
  @Column({ type: 'varchar', length: 254, unique: true })
  email: string;

  @Column({ type: 'varchar', length: 120 })
  displayName: string;

  @Column({ type: 'varchar', length: 10 })
  role: Role;

  @Column({ type: 'integer', nullable: true })
  departmentId: number | null;

  @ManyToOne(() => Department, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'departmentId' })
  department?: Relation<Department>;

  @Column({ type: 'varchar', length: 100, select: false })
  passwordHash: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** Tokens issued before this moment are void (password reset, deactivation). */
  @Column({ type: 'integer', default: 0 })
  tokenGeneration: number;

  @Column({ type: 'boolean', default: false })
  isDemo: boolean;

  /** Manages accounts and plans, and is admin in every plan of the installation. */
  @Column({ type: 'boolean', default: false })
  installationAdmin: boolean;

  /** Weekly mails (the coordinating unit's digest, the weekly overdue reminder); switched off by the user. */
  @Column({ type: 'boolean', default: true })
  digestEmails: boolean;

  @VersionColumn()
  version: number;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
