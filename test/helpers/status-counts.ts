/**
 * The status counts kept by the database's triggers, compared with a fresh count from the measures: every
 * key whose stored figures differ from the recount (empty when they agree).
 */
import type { DataSource } from 'typeorm';

const STATUS_KEY = `CASE WHEN m."lifecycle" IN ('merged', 'discontinued') THEN m."lifecycle" ELSE COALESCE(m."status", 'none') END`;
/** The figures as stored in the count tables (alias c), and as counted afresh from the measures (alias m). */
const STORED = `SUM(c."measures") AS "measures", SUM(c."progressSum") AS "progressSum", SUM(c."progressCount") AS "progressCount"`;
const COUNTED = `COUNT(*) AS "measures", SUM(COALESCE(m."progress", 0)) AS "progressSum", COUNT(m."progress") AS "progressCount"`;

type Row = Record<string, unknown>;

function keyed(rows: Row[], dimensions: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const row of rows) {
    const figures = ['measures', 'progressSum', 'progressCount'].map((f) => Number(row[f]));
    if (figures.every((f) => f === 0)) continue;
    const key = dimensions
      .map((d) =>
        d === 'isExample' ? String(Number([true, 1, '1'].includes(row[d] as never))) : String(row[d]),
      )
      .join('|');
    map.set(key, figures.join('/'));
  }
  return map;
}

function differences(table: string, stored: Map<string, string>, actual: Map<string, string>): string[] {
  const keys = new Set([...stored.keys(), ...actual.keys()]);
  return [...keys]
    .filter((k) => stored.get(k) !== actual.get(k))
    .map((k) => `${table} ${k}: gespeichert ${stored.get(k) ?? '–'}, gezählt ${actual.get(k) ?? '–'}`);
}

export async function statusCountDrift(dataSource: DataSource): Promise<string[]> {
  const dims = ['actionFieldId', 'leadDepartmentId', 'statusKey', 'level', 'isExample'];
  const list = dims.map((d) => `c."${d}"`).join(', ');
  const stored = await dataSource.query<Row[]>(
    `SELECT ${list}, ${STORED} FROM "measure_status_counts" c GROUP BY ${list}`,
  );
  const actual = await dataSource.query<Row[]>(
    `SELECT m."actionFieldId", m."leadDepartmentId", ${STATUS_KEY} AS "statusKey", m."level", m."isExample", ${COUNTED}
       FROM "measures" m GROUP BY 1, 2, 3, 4, 5`,
  );
  const goalDims = ['goalId', ...dims];
  const goalList = goalDims.map((d) => `c."${d}"`).join(', ');
  const storedGoals = await dataSource.query<Row[]>(
    `SELECT ${goalList}, ${STORED} FROM "measure_goal_status_counts" c GROUP BY ${goalList}`,
  );
  const actualGoals = await dataSource.query<Row[]>(
    `SELECT g."goalId", m."actionFieldId", m."leadDepartmentId", ${STATUS_KEY} AS "statusKey", m."level", m."isExample", ${COUNTED}
       FROM "measures" m JOIN "measure_goals" g ON g."measureId" = m."id" GROUP BY 1, 2, 3, 4, 5, 6`,
  );
  return [
    ...differences('measure_status_counts', keyed(stored, dims), keyed(actual, dims)),
    ...differences('measure_goal_status_counts', keyed(storedGoals, goalDims), keyed(actualGoals, goalDims)),
  ];
}
