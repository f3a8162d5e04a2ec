/** Small builders for request bodies, with ids looked up from the running application. */
import type { TestApp } from '../helpers/test-app.js';

export interface Ids {
  goals: Record<string, number>;
  fields: Record<string, number>;
  departments: Record<string, number>;
}

export async function frameworkIds(t: TestApp, token: string): Promise<Ids> {
  const get = async (path: string): Promise<Record<string, number>> => {
    const res = await t.http.get(path).auth(token, { type: 'bearer' });
    return Object.fromEntries((res.body as { code: string; id: number }[]).map((row) => [row.code, row.id]));
  };
  return {
    goals: await get('/api/goals'),
    fields: await get('/api/action-fields'),
    departments: await get('/api/departments'),
  };
}

let sequence = 0;

export function newMeasure(ids: Ids, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1;
  return {
    code: `3.1-T${String(sequence).padStart(2, '0')}`,
    title: 'Sprachcafés in Stadtteilbibliotheken',
    description: 'Offene Sprachcafés mit Ehrenamtlichen.',
    actionFieldId: ids.fields['3.1'],
    goalIds: [ids.goals['2.1'], ids.goals['2.2']],
    leadDepartmentId: ids.departments.ASJI,
    participatingDepartmentIds: [ids.departments.SKB],
    level: 'bremen',
    targetGroups: ['Geflüchtete', 'Frauen'],
    plannedStart: '2024-01-01',
    plannedEnd: '2025-12-31',
    budget: 25000,
    ...overrides,
  };
}

export function newReport(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    status: 'in_progress',
    progress: 40,
    summary: 'Die ersten Sprachcafés laufen in drei Stadtteilen.',
    obstacles: 'Zu wenige Räume am Abend.',
    nextSteps: 'Weitere Bibliotheken gewinnen.',
    ...overrides,
  };
}
