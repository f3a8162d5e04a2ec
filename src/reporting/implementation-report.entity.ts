import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Framework } from '../framework/framework.entity.js';

/**
 * Umsetzungsbericht: one generated file (workbook, PDF or DOCX), downloadable again from any instance: its bytes
 * are kept in the database (report-file-chunk.entity.ts); reports recorded before that, in REPORTS_DIR only.
 */
@Entity('implementation_reports')
@Index(['frameworkId'])
@Index(['cycleId', 'generatedAt'])
export class ImplementationReport {
  @PrimaryGeneratedColumn()
  id: number;

  /** The plan (Rahmenkonzept) this record belongs to. */
  @Column({ type: 'integer' })
  @ForeignKey(() => Framework, { onDelete: 'RESTRICT' })
  frameworkId: number;

  @Column({ type: 'integer' })
  cycleId: number;

  @Column({ type: 'varchar', length: 40 })
  cycleCode: string;

  @Column({ type: 'varchar', length: 200 })
  fileName: string;

  /** xlsx (the workbook), pdf or docx (the document). */
  @Column({ type: 'varchar', length: 8, default: 'xlsx' })
  format: 'xlsx' | 'pdf' | 'docx';

  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  @Column({ type: 'integer' })
  sizeBytes: number;

  /** Built from live data while the cycle was open ("Entwurf"). */
  @Column({ type: 'boolean' })
  draft: boolean;

  @Column({ type: 'boolean' })
  containsExampleData: boolean;

  @Column({ type: 'integer' })
  measureCount: number;

  @Column({ type: 'integer', nullable: true })
  generatedById: number | null;

  @Column({ type: 'varchar', length: 254, default: '' })
  generatedBy: string;

  @CreateDateColumn()
  generatedAt: Date;
}
