/**
 * Reading the audit trail, and recording the events that are not entity writes (sign-in success and
 * failure, sign-out). Entity writes are recorded by AuditSubscriber.
 */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { RequestContext } from '../common/context/request-context.js';
import type { Page } from '../measures/measures.service.js';
import { AuditEntry } from './audit-entry.entity.js';
import type { AuditQueryDto } from './audit-query.dto.js';

@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  async recordEvent(event: {
    action: string;
    entity: string;
    entityId?: string;
    userId?: number | null;
    userEmail?: string;
    note?: string;
  }): Promise<void> {
    const context = RequestContext.current();
    await this.entries.insert({
      userId: event.userId ?? context?.actor?.id ?? null,
      userEmail: (event.userEmail ?? context?.actor?.email ?? '').slice(0, 254),
      action: event.action,
      entity: event.entity,
      entityId: event.entityId ?? '',
      changes: {},
      note: (event.note ?? '').slice(0, 500),
      ipAddress: context?.ipAddress ?? '',
      requestId: context?.requestId ?? '',
    });
  }

  async list(query: AuditQueryDto): Promise<Page<AuditEntry>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const qb = this.entries.createQueryBuilder('a');
    if (query.entity) qb.andWhere('a.entity = :entity', { entity: query.entity });
    if (query.entityId) qb.andWhere('a.entityId = :entityId', { entityId: query.entityId });
    if (query.userId) qb.andWhere('a.userId = :userId', { userId: query.userId });
    if (query.action) qb.andWhere('a.action = :action', { action: query.action });
    if (query.from) qb.andWhere('a.createdAt >= :from', { from: new Date(`${query.from}T00:00:00Z`) });
    if (query.to)
      qb.andWhere('a.createdAt < :to', {
        to: new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000),
      });
    const [items, total] = await qb
      .orderBy('a.id', 'DESC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { items, total, page, pageSize };
  }
}
