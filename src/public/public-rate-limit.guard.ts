/**
 * Limits the open data per address: at most PUBLIC_REQUESTS_PER_MINUTE requests in a sliding minute, then 429
 * (RATE_LIMITED) with Retry-After. Kept in memory: each server process counts its own requests.
 */
import {
  type CanActivate,
  type ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '../common/config/app-config.js';

const WINDOW_MS = 60_000;
const MAX_ADDRESSES = 50_000;

@Injectable()
export class PublicRateLimitGuard implements CanActivate {
  private readonly requests = new Map<string, number[]>();

  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const retryAfter = this.take(request.ip ?? '', Date.now());
    if (retryAfter === 0) return true;
    http.getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    throw new HttpException(
      {
        statusCode: 429,
        error: 'Too Many Requests',
        message: `Zu viele Anfragen von dieser Adresse. Bitte warten Sie ${retryAfter} Sekunden.`,
        retryAfter,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }

  /** Counts a request of `address`; 0 when it is allowed, else the seconds until the next one is. */
  take(address: string, now: number): number {
    const recent = (this.requests.get(address) ?? []).filter((t) => now - t < WINDOW_MS);
    if (recent.length >= this.config.PUBLIC_REQUESTS_PER_MINUTE) {
      this.requests.set(address, recent);
      return Math.max(1, Math.ceil((recent[0] + WINDOW_MS - now) / 1000));
    }
    recent.push(now);
    this.requests.set(address, recent);
    if (this.requests.size > MAX_ADDRESSES) this.prune(now);
    return 0;
  }

  private prune(now: number): void {
    for (const [address, times] of this.requests) {
      if (times.every((t) => now - t >= WINDOW_MS)) this.requests.delete(address);
    }
  }
}
