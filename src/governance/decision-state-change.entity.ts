import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { DecisionState } from './governance.constants.js';

/** The history of a decision's state: every move, who made it and why. Append-only. */
@Entity('decision_state_changes')
@Index(['decisionId'])
export class DecisionStateChange {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  decisionId: number;

  @Column({ type: 'varchar', length: 20, nullable: true })
  fromState: DecisionState | null;

  @Column({ type: 'varchar', length: 20 })
  toState: DecisionState;

  @Column({ type: 'text', default: '' })
  comment: string;

  @Column({ type: 'integer', nullable: true })
  userId: number | null;

  @CreateDateColumn()
  createdAt: Date;
}
