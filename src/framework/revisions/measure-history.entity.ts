import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Where a measure came from: one entry per revision that moved it (another field, another lead department,
 * a new code). The measure keeps its id, so its status reports stay with it; this keeps the codes it had.
 */
@Entity('measure_history')
@Index(['measureId'])
@Index(['revisionId'])
export class MeasureHistory {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  measureId: number;

  @Column({ type: 'integer' })
  revisionId: number;

  @Column({ type: 'date' })
  effectiveDate: string;

  @Column({ type: 'varchar', length: 30 })
  codeBefore: string;

  @Column({ type: 'varchar', length: 30 })
  codeAfter: string;

  @Column({ type: 'varchar', length: 20 })
  actionFieldCodeBefore: string;

  @Column({ type: 'varchar', length: 20 })
  actionFieldCodeAfter: string;

  @Column({ type: 'varchar', length: 20 })
  leadDepartmentCodeBefore: string;

  @Column({ type: 'varchar', length: 20 })
  leadDepartmentCodeAfter: string;

  @Column({ type: 'text', default: '' })
  reason: string;

  @CreateDateColumn()
  createdAt: Date;
}
