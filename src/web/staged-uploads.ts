/**
 * Uploaded workbooks kept between the dry run and "Übernehmen", so that the file need not be chosen again: for
 * the account that uploaded it only, for the page that checked it only, for 30 minutes. The page carries only
 * a random key; taking the file removes it (one apply per preview).
 *
 * They are kept in the database (`staged_uploads`), not in memory: behind a load balancer the preview may come
 * from one instance and "Übernehmen" go to another, and a restart in between loses nothing. Taking is one
 * DELETE … RETURNING, so that of two "Übernehmen" of one key at the same moment, on one instance or on two,
 * exactly one gets the file. Expired files are removed whenever one is kept or taken.
 *
 * At most 20 files per account (its oldest goes first), not 20 in all: one account's uploads never push out
 * another's, whose preview would otherwise be lost while it reads it.
 */
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { queryNamed } from '../database/sql.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { STAGED_UPLOADS_TABLE } from './staged-upload.entity.js';

const TTL_MS = 30 * 60 * 1000;
const MAX_PER_OWNER = 20;
/** The first of the two keys of this store's PostgreSQL advisory locks (the second is the owner): "RKSU". */
const OWNER_LOCK_SPACE = 0x524b5355;

@Injectable()
export class StagedUploads {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Keeps `buffer` for `ownerId` and the page `kind`; returns the key its "Übernehmen" form carries. */
  async put(ownerId: number, kind: string, buffer: Buffer, now = Date.now()): Promise<string> {
    const key = randomBytes(24).toString('base64url');
    await this.transactions.run(async (manager) => {
      // One owner's puts one after another (SQLite's single writer does this by itself), so the bound holds.
      if (this.dataSource.options.type === 'postgres')
        await queryNamed(manager, 'SELECT pg_advisory_xact_lock(:space, :ownerId)', {
          space: OWNER_LOCK_SPACE,
          ownerId,
        });
      await queryNamed(manager, `DELETE FROM "${STAGED_UPLOADS_TABLE}" WHERE "expiresAt" <= :now`, { now });
      // Room for the new one: the owner's newest MAX_PER_OWNER - 1 stay.
      await queryNamed(
        manager,
        `DELETE FROM "${STAGED_UPLOADS_TABLE}" WHERE "ownerId" = :ownerId AND "key" NOT IN (
           SELECT "key" FROM "${STAGED_UPLOADS_TABLE}" WHERE "ownerId" = :ownerId
           ORDER BY "expiresAt" DESC, "key" DESC LIMIT :keep)`,
        { ownerId, keep: MAX_PER_OWNER - 1 },
      );
      await queryNamed(
        manager,
        `INSERT INTO "${STAGED_UPLOADS_TABLE}" ("key", "ownerId", "kind", "size", "expiresAt", "content")
         VALUES (:key, :ownerId, :kind, :size, :expiresAt, :content)`,
        { key, ownerId, kind, size: buffer.length, expiresAt: now + TTL_MS, content: buffer },
      );
    });
    return key;
  }

  /** The staged file, if the key is the owner's, of this kind and not expired; removed once taken. */
  async take(ownerId: number, kind: string, key: unknown, now = Date.now()): Promise<Buffer | null> {
    if (typeof key !== 'string' || key.length === 0 || key.length > 64) return null;
    const rows = await this.transactions.run(async (manager) => {
      // Expired files go now too, not only when the next one is kept: they hold uploaded content.
      await queryNamed(manager, `DELETE FROM "${STAGED_UPLOADS_TABLE}" WHERE "expiresAt" <= :now`, { now });
      return deleteReturning<{ content: Buffer }>(
        manager,
        `DELETE FROM "${STAGED_UPLOADS_TABLE}"
         WHERE "key" = :key AND "ownerId" = :ownerId AND "kind" = :kind AND "expiresAt" > :now
         RETURNING "content"`,
        { key, ownerId, kind, now },
      );
    });
    return rows.length === 1 ? rows[0].content : null;
  }
}

/**
 * The rows a DELETE … RETURNING removed. Both databases run it as one statement; their drivers hand back
 * its rows differently (pg with the affected count beside them), which the structured result hides.
 */
async function deleteReturning<T>(
  manager: EntityManager,
  sql: string,
  parameters: Record<string, unknown>,
): Promise<T[]> {
  const [query, values] = manager.connection.driver.escapeQueryWithParameters(sql, parameters);
  const result = (await manager.queryRunner!.query(query, values, true)) as { records?: T[] };
  return result.records ?? [];
}
