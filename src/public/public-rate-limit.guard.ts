/**
 * Limits the public pages and open data per address: at most PUBLIC_REQUESTS_PER_MINUTE requests in a sliding
 * minute, then 429 (RATE_LIMITED) with Retry-After. Counted by every instance on the database together
 * (shared-rate-counter.ts says how, and what that costs).
 */
import {
  type CanActivate,
  type ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '../common/config/app-config.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { SharedRateCounter } from './shared-rate-counter.js';

@Injectable()
export class PublicRateLimitGuard implements CanActivate, OnModuleDestroy {
  private readonly counter: SharedRateCounter;

  constructor(config: AppConfig, transactions: TransactionRunner) {
    this.counter = new SharedRateCounter('public', () => config.PUBLIC_REQUESTS_PER_MINUTE, transactions);
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const retryAfter = this.take(request.ip ?? '', Date.now());
    if (typeof retryAfter === 'number') return this.answer(http.getResponse<Response>(), retryAfter);
    return retryAfter.then((seconds) => this.answer(http.getResponse<Response>(), seconds));
  }

  /** Counts a request of `address`; 0 when it is allowed, else the seconds until the next one is. */
  take(address: string, now: number): number | Promise<number> {
    return this.counter.take(address, now);
  }

  /** Counts not yet passed on to the other instances are passed on before the application stops. */
  async onModuleDestroy(): Promise<void> {
    await this.counter.flush();
  }

  private answer(response: Response, retryAfter: number): boolean {
    if (retryAfter === 0) return true;
    response.setHeader('Retry-After', String(retryAfter));
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
}
