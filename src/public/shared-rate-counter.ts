/**
 * Requests per address and minute, counted by every instance on the database together (`rate_limit_counters`),
 * for the limit on the public pages and open data (public-rate-limit.guard.ts).
 *
 * The trade-off: writing each request to the database would make every public request wait for a write (on
 * SQLite, for the one write lock), and public pages must keep most of a trivial route's throughput. So each
 * instance counts in memory and passes its counts on to the shared per-address, per-minute rows (one upsert
 * that adds, correct under concurrency on SQLite and PostgreSQL) at most about once a second, reading back
 * the totals of every instance; it decides on those totals plus its own counts not yet passed on. An address
 * new to an instance in a minute is looked up first. So one instance on its own limits exactly as before, and
 * several instances together let through at most what the others took in their last second before passing it
 * on. The writes happen within a public request (never in the background), so an idle instance writes nothing.
 *
 * The window slides: the previous minute counts with the share of it still inside the last 60 seconds
 * (rounded up, so that the limit errs on the side of refusing), plus the current minute.
 */
import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryNamed } from '../database/sql.js';
import type { TransactionRunner } from '../database/transaction-runner.js';

const MINUTE_MS = 60_000;
/** How often at most an instance passes its counts on to the others. */
const FLUSH_INTERVAL_MS = 1_000;
/** Rows per statement when passing counts on (well below either database's limit on parameters). */
const BATCH = 200;
/** Addresses remembered between two passes; beyond this the memory is cleared of old minutes. */
const MAX_ADDRESSES = 50_000;

type Hits = Map<number, number>;

interface Shared {
  /** The minute in which the totals were last read for this address. */
  readMinute: number;
  hits: Hits;
}

const minuteOf = (now: number): number => Math.floor(now / MINUTE_MS);

function add(map: Map<string, Hits>, address: string, minute: number, count: number): void {
  let hits = map.get(address);
  if (!hits) map.set(address, (hits = new Map<number, number>()));
  hits.set(minute, (hits.get(minute) ?? 0) + count);
}

export class SharedRateCounter {
  private readonly logger = new Logger('RateLimit');
  private shared = new Map<string, Shared>();
  /** Counted here, not yet passed on. */
  private pending = new Map<string, Hits>();
  /** Being passed on right now: still counted until the totals read back include them. */
  private inFlight = new Map<string, Hits>();
  private lastFlush = 0;
  private running: Promise<void> = Promise.resolve();
  private waiting: Promise<void> | null = null;
  private readonly asked = new Set<string>();

  constructor(
    private readonly scope: string,
    private readonly limit: () => number,
    private readonly transactions: TransactionRunner,
  ) {}

  /**
   * Counts a request of `address`: 0 when it is allowed, else the seconds until the next one is. Synchronous
   * unless the database has to be asked (at most about once a second, and for an address new this minute).
   */
  take(address: string, now: number): number | Promise<number> {
    const minute = minuteOf(now);
    const known = this.shared.get(address)?.readMinute === minute;
    const due = this.pending.size > 0 && now - this.lastFlush >= FLUSH_INTERVAL_MS;
    if (known && !due) return this.decide(address, now);
    return this.sync(address, now).then(() => this.decide(address, Date.now()));
  }

  /** Passes the counts not yet passed on (when the application stops). */
  async flush(): Promise<void> {
    if (this.pending.size > 0) await this.sync(null, Date.now());
  }

  private decide(address: string, now: number): number {
    const minute = minuteOf(now);
    const limit = this.limit();
    const current = this.count(address, minute);
    const previous = this.count(address, minute - 1);
    const elapsed = (now - minute * MINUTE_MS) / MINUTE_MS;
    if (Math.ceil(previous * (1 - elapsed)) + current < limit) {
      add(this.pending, address, minute, 1);
      return 0;
    }
    // When the estimate first falls below the limit: within this minute as the previous one fades, or in
    // the next, when this minute has become the previous one.
    const next =
      current < limit
        ? minute * MINUTE_MS + (1 - (limit - 1 - current) / previous) * MINUTE_MS
        : (minute + 1) * MINUTE_MS + Math.max(0, 1 - (limit - 1) / current) * MINUTE_MS;
    return Math.max(1, Math.ceil((next - now) / 1000));
  }

  private count(address: string, minute: number): number {
    return (
      (this.shared.get(address)?.hits.get(minute) ?? 0) +
      (this.pending.get(address)?.get(minute) ?? 0) +
      (this.inFlight.get(address)?.get(minute) ?? 0)
    );
  }

  /** One pass at a time; requests that ask meanwhile share the next one. */
  private sync(address: string | null, now: number): Promise<void> {
    if (address !== null) this.asked.add(address);
    this.lastFlush = now;
    this.waiting ??= this.running.then(() => {
      this.waiting = null;
      const addresses = [...this.asked];
      this.asked.clear();
      this.running = this.pass(addresses);
      return this.running;
    });
    return this.waiting;
  }

  /** Adds the pending counts to the shared rows and reads back the totals; never fails a request. */
  private async pass(asked: string[]): Promise<void> {
    const now = Date.now();
    const minute = minuteOf(now);
    this.lastFlush = now;
    this.inFlight = this.pending;
    this.pending = new Map();
    const addresses = [...new Set([...asked, ...this.inFlight.keys()])];
    const hashes = new Map(addresses.map((address) => [this.hash(address), address]));
    try {
      const rows = await this.transactions.run(async (manager) => {
        const increments = [...this.inFlight].flatMap(([address, hits]) =>
          [...hits]
            .filter(([m]) => m >= minute - 1)
            .map(([m, count]) => ({ key: this.hash(address), minute: m, count })),
        );
        for (let i = 0; i < increments.length; i += BATCH)
          await this.upsert(manager, increments.slice(i, i + BATCH));
        await queryNamed(manager, 'DELETE FROM "rate_limit_counters" WHERE "minute" < :oldest', {
          oldest: minute - 1,
        });
        const totals: { keyHash: string; minute: number | string; hits: number | string }[] = [];
        const keys = [...hashes.keys()];
        for (let i = 0; i < keys.length; i += BATCH)
          totals.push(
            ...(await queryNamed<(typeof totals)[number]>(
              manager,
              `SELECT "keyHash", "minute", "hits" FROM "rate_limit_counters"
               WHERE "scope" = :scope AND "minute" >= :oldest AND "keyHash" IN (:...keys)`,
              { scope: this.scope, oldest: minute - 1, keys: keys.slice(i, i + BATCH) },
            )),
          );
        return totals;
      });
      if (this.shared.size > MAX_ADDRESSES) this.forgetBefore(minute);
      for (const address of addresses) this.shared.set(address, { readMinute: minute, hits: new Map() });
      for (const row of rows) {
        const address = hashes.get(row.keyHash);
        if (address !== undefined) this.shared.get(address)!.hits.set(Number(row.minute), Number(row.hits));
      }
    } catch (error) {
      // The database is busy or away: keep the counts for the next pass and decide on what is known here.
      for (const [address, hits] of this.inFlight)
        for (const [m, count] of hits) add(this.pending, address, m, count);
      for (const address of asked) {
        const known = this.shared.get(address);
        this.shared.set(address, { readMinute: minute, hits: known?.hits ?? new Map<number, number>() });
      }
      this.logger.warn(
        `Rate counts not synchronised: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      this.inFlight = new Map();
    }
  }

  private async upsert(
    manager: EntityManager,
    increments: { key: string; minute: number; count: number }[],
  ): Promise<void> {
    if (increments.length === 0) return;
    const parameters: Record<string, unknown> = { scope: this.scope };
    const values = increments.map((increment, i) => {
      parameters[`k${i}`] = increment.key;
      parameters[`m${i}`] = increment.minute;
      parameters[`c${i}`] = increment.count;
      return `(:scope, :k${i}, :m${i}, :c${i})`;
    });
    await queryNamed(
      manager,
      `INSERT INTO "rate_limit_counters" ("scope", "keyHash", "minute", "hits") VALUES ${values.join(', ')}
       ON CONFLICT ("scope", "keyHash", "minute")
       DO UPDATE SET "hits" = "rate_limit_counters"."hits" + excluded."hits"`,
      parameters,
    );
  }

  private forgetBefore(minute: number): void {
    for (const [address, shared] of this.shared)
      if (shared.readMinute < minute && !this.pending.has(address)) this.shared.delete(address);
  }

  /** The address, kept only as a hash. */
  private hash(address: string): string {
    return createHash('sha256').update(`${this.scope}|${address}`).digest('hex');
  }
}
