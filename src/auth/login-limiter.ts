/**
 * Counts failed sign-ins per account and address in a sliding one-minute window. Only failures count
 * (a generic request throttle would also lock out people who sign in successfully a few times).
 */
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../common/config/app-config.js';

const WINDOW_MS = 60_000;

@Injectable()
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly config: AppConfig) {}

  /** Seconds until the next attempt is allowed, or 0 when it is allowed now. */
  retryAfter(email: string, ip: string, now = Date.now()): number {
    const recent = this.recent(this.key(email, ip), now);
    if (recent.length < this.config.LOGIN_MAX_FAILURES_PER_MINUTE) return 0;
    return Math.max(1, Math.ceil((recent[0] + WINDOW_MS - now) / 1000));
  }

  recordFailure(email: string, ip: string, now = Date.now()): void {
    const key = this.key(email, ip);
    this.failures.set(key, [...this.recent(key, now), now]);
    if (this.failures.size > 10_000) this.prune(now);
  }

  reset(email: string, ip: string): void {
    this.failures.delete(this.key(email, ip));
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
  }

  private prune(now: number): void {
    for (const [key, times] of this.failures) {
      if (times.every((t) => now - t >= WINDOW_MS)) this.failures.delete(key);
    }
  }

  private key(email: string, ip: string): string {
    return `${email.trim().toLowerCase()}|${ip}`;
  }
}
