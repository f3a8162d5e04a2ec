import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { User } from '../auth/user.entity.js';

/**
 * `skipped`: recorded but never sent, because another mail of the same run says it already (a cycle that opens
 * within the reminder days of its deadline: "Erfassung geöffnet" names the deadline, the reminder is dropped).
 */
export const NOTIFICATION_STATES = ['pending', 'sent', 'failed', 'skipped'] as const;
export type NotificationState = (typeof NOTIFICATION_STATES)[number];

export const NOTIFICATION_STATE_LABELS: Record<NotificationState, string> = {
  pending: 'wartet',
  sent: 'versendet',
  failed: 'fehlgeschlagen',
  skipped: 'entfallen',
};

/**
 * One mail to one account for one event (`cycle:4:deadline`, `report:17:returned`, `digest:2027-W03`). The
 * unique (user, event) pair is what keeps a second run, or a second instance, from sending it again; a failed
 * send keeps its row and is tried again at `nextAttemptAt`.
 */
@Entity('notification_log')
@Index(['userId', 'eventKey'], { unique: true })
@Index(['state', 'nextAttemptAt'])
export class NotificationLog {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 254 })
  recipient: string;

  @Column({ type: 'varchar', length: 200 })
  eventKey: string;

  /** What kind of mail (cycle_open, deadline_soon, deadline, overdue, report_returned, …). */
  @Column({ type: 'varchar', length: 40 })
  kind: string;

  @Column({ type: 'varchar', length: 300 })
  subject: string;

  @Column({ type: 'text' })
  textBody: string;

  @Column({ type: 'text' })
  htmlBody: string;

  @Column({ type: 'varchar', length: 20, default: 'pending' })
  state: NotificationState;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'text', default: '' })
  lastError: string;

  /** When a pending or failed mail is (tried) next; null once sent or given up. */
  @Column({ nullable: true })
  nextAttemptAt?: Date;

  @Column({ nullable: true })
  sentAt?: Date;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
