/**
 * The one place that writes the audit trail for entity changes: every insert and update of an audited entity
 * appends an AuditEntry in the same transaction, with the acting user from the request context and the
 * changed fields with their old and new values. A rolled-back write leaves no entry.
 */
import {
  type EntityMetadata,
  type EntitySubscriberInterface,
  EventSubscriber,
  type InsertEvent,
  type ObjectLiteral,
  type UpdateEvent,
} from 'typeorm';
import { RequestContext } from '../common/context/request-context.js';
import { AuditEntry, type AuditChanges } from './audit-entry.entity.js';
import { planOfRecord } from './audit-plan.js';

/** Fields never written to the trail (secrets) or not worth it (bookkeeping). */
const HIDDEN = new Set(['passwordHash']);
const SKIPPED = new Set(['createdAt', 'updatedAt', 'version']);
const REDACTED = '[geändert]';

function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    return value
      .map((item: unknown) => (item && typeof item === 'object' && 'id' in item ? item.id : item))
      .sort((a, b) => String(a).localeCompare(String(b), 'de', { numeric: true }));
  }
  return value ?? null;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

function manyToManyIds(metadata: EntityMetadata, entity: ObjectLiteral): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const relation of metadata.manyToManyRelations) {
    const value = relation.getEntityValue(entity) as unknown;
    if (Array.isArray(value)) result[relationKey(relation.propertyName)] = normalise(value);
  }
  return result;
}

/** goals → goalIds, participatingDepartments → participatingDepartmentIds: the API's field names. */
function relationKey(propertyName: string): string {
  return propertyName.replace(/s$/, '') + 'Ids';
}

/** Changes of links kept in tables of their own (a measure's areas), handed over by the service that wrote them. */
function extraChanges(entity: ObjectLiteral): AuditChanges {
  return (entity as { auditExtraChanges?: AuditChanges }).auditExtraChanges ?? {};
}

@EventSubscriber()
export class AuditSubscriber implements EntitySubscriberInterface {
  async afterInsert(event: InsertEvent<ObjectLiteral>): Promise<void> {
    if (event.metadata.target === AuditEntry || event.metadata.isJunction || !event.entity) return;
    const changes: AuditChanges = {};
    for (const column of event.metadata.columns) {
      const name = column.propertyName;
      if (SKIPPED.has(name) || column.relationMetadata) continue;
      const value = column.getEntityValue(event.entity) as unknown;
      if (value === undefined) continue;
      changes[name] = { from: null, to: HIDDEN.has(name) ? REDACTED : normalise(value) };
    }
    for (const [key, ids] of Object.entries(manyToManyIds(event.metadata, event.entity))) {
      changes[key] = { from: null, to: ids };
    }
    Object.assign(changes, extraChanges(event.entity));
    await this.write(event, 'create', event.entity, changes);
  }

  async afterUpdate(event: UpdateEvent<ObjectLiteral>): Promise<void> {
    if (event.metadata.target === AuditEntry || event.metadata.isJunction || !event.entity) return;
    const before = event.databaseEntity;
    const changes: AuditChanges = {};
    for (const column of event.updatedColumns) {
      const name = column.propertyName;
      if (SKIPPED.has(name)) continue;
      const from = before ? (column.getEntityValue(before) as unknown) : undefined;
      const to = column.getEntityValue(event.entity) as unknown;
      if (HIDDEN.has(name)) changes[name] = { from: REDACTED, to: REDACTED };
      else if (!same(from, to)) changes[name] = { from: normalise(from), to: normalise(to) };
    }
    if (before) {
      const beforeIds = manyToManyIds(event.metadata, before);
      for (const [key, ids] of Object.entries(manyToManyIds(event.metadata, event.entity))) {
        if (key in beforeIds && !same(beforeIds[key], ids)) changes[key] = { from: beforeIds[key], to: ids };
      }
    }
    Object.assign(changes, extraChanges(event.entity));
    if (Object.keys(changes).length === 0) return;
    await this.write(event, 'update', { ...before, ...event.entity }, changes);
  }

  private async write(
    event: InsertEvent<ObjectLiteral> | UpdateEvent<ObjectLiteral>,
    fallbackAction: string,
    entity: ObjectLiteral,
    changes: AuditChanges,
  ): Promise<void> {
    const context = RequestContext.current();
    const entry = event.manager.create(AuditEntry, {
      userId: context?.actor?.id ?? null,
      userEmail: context?.actor?.email ?? '',
      action: context?.auditAction ?? fallbackAction,
      entity: event.metadata.name,
      entityId: String((entity as { id?: number | string }).id ?? ''),
      changes,
      note: (context?.auditNote ?? '').slice(0, 500),
      ipAddress: context?.ipAddress ?? '',
      requestId: context?.requestId ?? '',
      frameworkId: await planOfRecord(event.manager, event.metadata.name, entity),
    });
    await event.manager.save(AuditEntry, entry);
  }
}
