import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Umsetzungsbericht: one generated workbook, kept under reports/ and downloadable again. */
@Entity('implementation_reports')
@Index(['cycleId', 'generatedAt'])
export class ImplementationReport {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  cycleId: number;

  @Column({ type: 'varchar', length: 40 })
  cycleCode: string;

  @Column({ type: 'varchar', length: 200 })
  fileName: string;

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
