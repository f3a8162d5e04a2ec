/**
 * The codes of the storage's 503 answers (full, busy, read-only, unreachable, damaged). They predate the
 * `FEATURE.NAME` form and clients already rely on them, so they keep their plain upper-case values.
 */
export enum DatabaseError {
  STORAGE_FULL = 'STORAGE_FULL',
  BUSY = 'DATABASE_BUSY',
  READONLY = 'DATABASE_READONLY',
  UNAVAILABLE = 'DATABASE_UNAVAILABLE',
  DAMAGED = 'DATABASE_DAMAGED',
}
