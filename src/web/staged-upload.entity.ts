/**
 * A checked workbook kept between the preview and "Übernehmen" (StagedUploads), in the database so that any
 * instance on it can apply what another one previewed, and a restart in between loses nothing.
 *
 * The bytes need a binary column, whose type TypeORM names differently per database (`blob`, `bytea`; each
 * driver refuses the other's): one entity class per database, alike but for that type, as for the report
 * pieces (report-file-chunk.entity.ts); entities.ts hands each database its own. StagedUploads reads and writes
 * the table with plain SQL, so it does not care which class is in use (and no upload lands in the audit trail).
 * The table stays small (at most 20 rows per account, expired rows removed as new ones come): no index
 * beyond the key.
 */
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const STAGED_UPLOADS_TABLE = 'staged_uploads';

abstract class StagedUploadColumns {
  /** Random, url-safe; the only thing the page carries. */
  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'PK_staged_uploads' })
  key: string;

  /** The account that uploaded it: the only one that may take it. */
  @Column({ type: 'integer' })
  ownerId: number;

  /** Which page checked it (e.g. `measure-plan`): taken only by that page's "Übernehmen". */
  @Column({ type: 'varchar', length: 40 })
  kind: string;

  /** Bytes, as uploaded. */
  @Column({ type: 'integer' })
  size: number;

  /** Milliseconds since 1970, as JobLock's lease: compared the same way on SQLite and PostgreSQL. */
  @Column({ type: 'bigint' })
  expiresAt: string;

  @CreateDateColumn()
  createdAt: Date;
}

@Entity(STAGED_UPLOADS_TABLE)
export class StagedUploadSqlite extends StagedUploadColumns {
  @Column({ type: 'blob' })
  content: Buffer;
}

@Entity(STAGED_UPLOADS_TABLE)
export class StagedUploadPostgres extends StagedUploadColumns {
  @Column({ type: 'bytea' })
  content: Buffer;
}
