import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  Unique,
} from 'typeorm';
import { Department } from '../framework/department.entity.js';
import { Framework } from '../framework/framework.entity.js';
import type { Role } from './user.entity.js';
import { User } from './user.entity.js';

/**
 * An account's rights in one plan: its role there and, for an editor, the organisation it writes for. The same
 * person may edit in one plan and read another; an account without a membership in a plan has no rights in it
 * (unless it is an installation administrator, who is admin in every plan).
 */
@Entity('memberships')
@Unique(['userId', 'frameworkId'])
export class Membership {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user?: Relation<User>;

  @Index()
  @Column({ type: 'integer' })
  frameworkId: number;

  @ManyToOne(() => Framework, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'frameworkId' })
  framework?: Relation<Framework>;

  @Column({ type: 'varchar', length: 10 })
  role: Role;

  /** Required for an editor, empty for admins and viewers. */
  @Column({ type: 'integer', nullable: true })
  departmentId: number | null;

  @ManyToOne(() => Department, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'departmentId' })
  department?: Relation<Department>;
}
