/**
 * Measure codes as they were at a moment: a revision may have given a measure a new code since, and a closed
 * cycle's report names its measures as they were named at the close.
 */
import { type EntityManager, In, MoreThan } from 'typeorm';
import { Measure } from '../../measures/measure.entity.js';
import { MeasureHistory } from './measure-history.entity.js';

export async function measureCodesAsOf(
  manager: EntityManager,
  ids: number[],
  asOf: Date,
): Promise<Map<number, string>> {
  const codes = new Map<number, string>();
  if (ids.length === 0) return codes;
  for (const m of await manager.find(Measure, { where: { id: In(ids) }, select: { id: true, code: true } }))
    codes.set(m.id, m.code);
  const later = await manager.find(MeasureHistory, {
    where: { measureId: In(ids), createdAt: MoreThan(asOf) },
    order: { id: 'DESC' },
  });
  // Newest first, so the earliest revision after the moment is applied last: its code before is the one then.
  for (const h of later) codes.set(h.measureId, h.codeBefore);
  return codes;
}
