/**
 * Reading the audit trail, and recording the events that are not entity writes (sign-in success and
 * failure, sign-out, exports of data). Entity writes are recorded by AuditSubscriber; exports by
 * ExportAuditInterceptor, through recordExport.
 */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { RequestContext } from '../common/context/request-context.js';
import { Department } from '../framework/department.entity.js';
import type { Page } from '../common/paging.js';
import { ImplementationReport } from '../reporting/implementation-report.entity.js';
import { ReportingCycle } from '../reporting/reporting-cycle.entity.js';
import { AuditEntry, type AuditChanges } from './audit-entry.entity.js';
import type { AuditQueryDto } from './audit-query.dto.js';
import type { ExportKind } from './audit-export.decorator.js';
import { planOfEvent } from './audit-plan.js';
import { resolvePlan } from '../framework/plans.service.js';
import { AccessError } from '../auth/access-errors.js';
import { forbidden } from '../common/http/domain-errors.js';

/** The entity name an export is filed under (the Bereich filter of the Protokoll page), and its German name. */
const EXPORTS: Record<ExportKind, { entity: string; label: string }> = {
  report: { entity: 'ImplementationReport', label: 'Umsetzungsbericht' },
  template: { entity: 'InputTemplate', label: 'Erfassungsvorlage' },
  'measure-plan': { entity: 'MeasurePlan', label: 'Maßnahmenplan' },
};

export interface ExportRecord {
  kind: ExportKind;
  reportId?: number;
  cycleId?: number;
  departmentId?: number;
  /** The plan named by the request, for an export without a cycle or report (the Maßnahmenplan). */
  frameworkId?: number;
}

@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  /** An event that is not an entity change; with `manager`, inside that transaction (all or nothing with it). */
  async recordEvent(
    event: {
      action: string;
      entity: string;
      entityId?: string;
      userId?: number | null;
      userEmail?: string;
      note?: string;
      changes?: AuditChanges;
      /** The plan the event is about; by default the request's (none for accounts and sign-ins). */
      frameworkId?: number | null;
    },
    manager?: EntityManager,
  ): Promise<void> {
    const context = RequestContext.current();
    const entry = this.entries.create({
      userId: event.userId ?? context?.actor?.id ?? null,
      userEmail: (event.userEmail ?? context?.actor?.email ?? '').slice(0, 254),
      action: event.action,
      entity: event.entity,
      entityId: event.entityId ?? '',
      changes: event.changes ?? {},
      note: (event.note ?? '').slice(0, 500),
      ipAddress: context?.ipAddress ?? '',
      requestId: context?.requestId ?? '',
      frameworkId: event.frameworkId !== undefined ? event.frameworkId : planOfEvent(event.entity),
    });
    await (manager ? manager.save(AuditEntry, entry) : this.entries.save(entry));
  }

  /**
   * One "export" entry for data handed out as a file: who (the request's user), what (the kind and record),
   * which cycle and department, when. The record's names are looked up for the note, which the page shows.
   */
  async recordExport(record: ExportRecord): Promise<void> {
    const { entity, label } = EXPORTS[record.kind];
    const manager = this.entries.manager;
    const details: Record<string, unknown> = {};
    let cycleId = record.cycleId;
    let entityId = '';
    let fileName = '';
    let report: ImplementationReport | null = null;
    if (record.reportId !== undefined) {
      report = await manager.findOne(ImplementationReport, { where: { id: record.reportId } });
      details.reportId = record.reportId;
      entityId = String(record.reportId);
      cycleId ??= report?.cycleId;
      fileName = report?.fileName ?? '';
    }
    const cycle =
      cycleId !== undefined ? await manager.findOne(ReportingCycle, { where: { id: cycleId } }) : null;
    const department =
      record.departmentId !== undefined
        ? await manager.findOne(Department, { where: { id: record.departmentId } })
        : null;
    if (cycleId !== undefined) details.cycleId = cycleId;
    if (record.departmentId !== undefined) details.departmentId = record.departmentId;
    if (!entityId && cycleId !== undefined)
      entityId = record.departmentId !== undefined ? `${cycleId}/${record.departmentId}` : String(cycleId);
    if (fileName) details.fileName = fileName;
    const changes: AuditChanges = Object.fromEntries(
      Object.entries(details).map(([key, value]) => [key, { from: null, to: value }]),
    );
    const about = [
      cycle ? `Berichtszyklus ${cycle.code}` : '',
      department ? `Ressort ${department.code} (${department.name})` : '',
    ].filter(Boolean);
    await this.recordEvent({
      action: 'export',
      entity,
      entityId,
      changes,
      // A cycle or report names its plan; the Maßnahmenplan is the plan asked for, or the only one.
      frameworkId:
        cycle?.frameworkId ??
        report?.frameworkId ??
        record.frameworkId ??
        (await resolvePlan(manager).catch(() => planOfEvent(entity))),
      note: `${label} heruntergeladen${about.length ? `: ${about.join(', ')}` : ''}${fileName ? ` – ${fileName}` : ''}`,
    });
  }

  /** The actions that occur in the trail, for the Protokoll page's filter. */
  async actions(): Promise<string[]> {
    const rows = await this.entries
      .createQueryBuilder('a')
      .select('DISTINCT a.action', 'action')
      .orderBy('a.action')
      .getRawMany<{ action: string }>();
    return rows.map((row) => row.action);
  }

  /**
   * Which entries a reader sees: an installation administrator every plan's and the installation's (accounts,
   * sign-ins), as filtered; a plan's administration only its own plan's.
   */
  private async planFilter(
    asked: AuditQueryDto['frameworkId'],
  ): Promise<number | 'installation' | undefined> {
    const actor = RequestContext.current()?.actor;
    if (!actor || actor.installationAdmin !== false) return asked;
    if (asked === 'installation')
      throw forbidden(
        AccessError.INSTALLATION_ADMIN,
        'Die Einträge der Installation (Konten, Anmeldungen) sieht nur die Administration der Installation.',
      );
    return resolvePlan(this.entries.manager, asked);
  }

  async list(query: AuditQueryDto): Promise<Page<AuditEntry>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const qb = this.entries.createQueryBuilder('a');
    if (query.entity) qb.andWhere('a.entity = :entity', { entity: query.entity });
    if (query.entityId) qb.andWhere('a.entityId = :entityId', { entityId: query.entityId });
    if (query.userId) qb.andWhere('a.userId = :userId', { userId: query.userId });
    const frameworkId = await this.planFilter(query.frameworkId);
    if (frameworkId === 'installation') qb.andWhere('a.frameworkId IS NULL');
    else if (frameworkId !== undefined) qb.andWhere('a.frameworkId = :frameworkId', { frameworkId });
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
