/**
 * The bytes of a generated report file (workbook, PDF, DOCX), kept in the database so that every instance
 * serves every report: the file in pieces of at most REPORT_CHUNK_BYTES, numbered from 0, written in the same
 * transaction as its ImplementationReport record and deleted with it.
 *
 * TypeORM has no binary column type that both drivers accept: SQLite's is `blob`, PostgreSQL's `bytea`, and
 * each driver refuses the other's name. Both map to a Buffer (better-sqlite3 and pg read and bind a Buffer as
 * such). So the table has one entity class per database, alike but for that type, and entities.ts hands
 * each database its own; ImplementationReportsService reads and writes the table with plain SQL, so it does
 * not care which class is in use (and no chunk lands in the audit trail).
 */
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { ImplementationReport } from './implementation-report.entity.js';

/** 1 MiB: a Land-size workbook of several MB is a handful of rows; reading or writing holds one piece at a time. */
export const REPORT_CHUNK_BYTES = 1024 * 1024;

export const REPORT_FILE_CHUNKS_TABLE = 'report_file_chunks';

abstract class ReportFileChunkColumns {
  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'PK_report_file_chunks' })
  reportId: number;

  @ManyToOne(() => ImplementationReport, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reportId', foreignKeyConstraintName: 'FK_report_file_chunks_report' })
  report?: Relation<ImplementationReport>;

  /** 0, 1, 2 … in the file's order. */
  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'PK_report_file_chunks' })
  chunkIndex: number;
}

@Entity(REPORT_FILE_CHUNKS_TABLE)
export class ReportFileChunkSqlite extends ReportFileChunkColumns {
  @Column({ type: 'blob' })
  content: Buffer;
}

@Entity(REPORT_FILE_CHUNKS_TABLE)
export class ReportFileChunkPostgres extends ReportFileChunkColumns {
  @Column({ type: 'bytea' })
  content: Buffer;
}
