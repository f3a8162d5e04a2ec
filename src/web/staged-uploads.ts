/**
 * Uploaded workbooks kept between the dry run and "Übernehmen", so that the file need not be chosen again:
 * in memory, for the account that uploaded it only, for a limited time, a bounded number at once. The page
 * carries only a random key; taking the file removes it (one apply per preview).
 */
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';

const TTL_MS = 30 * 60 * 1000;
const MAX_ENTRIES = 20;

interface Staged {
  ownerId: number;
  kind: string;
  buffer: Buffer;
  expiresAt: number;
}

@Injectable()
export class StagedUploads {
  private readonly entries = new Map<string, Staged>();

  put(ownerId: number, kind: string, buffer: Buffer): string {
    this.prune();
    while (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    const key = randomBytes(24).toString('base64url');
    this.entries.set(key, { ownerId, kind, buffer, expiresAt: Date.now() + TTL_MS });
    return key;
  }

  /** The staged file, if the key is the owner's, of this kind and not expired; removed once taken. */
  take(ownerId: number, kind: string, key: unknown): Buffer | null {
    this.prune();
    if (typeof key !== 'string') return null;
    const entry = this.entries.get(key);
    if (!entry || entry.ownerId !== ownerId || entry.kind !== kind) return null;
    this.entries.delete(key);
    return entry.buffer;
  }

  private prune(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
