import { readFileSync } from 'node:fs';
import { FrameworkFileError, parseFrameworkFile, readFrameworkFile } from './framework-file.js';

const bremen = JSON.parse(readFileSync('data/frameworks/bremen-2021.json', 'utf8')) as Record<
  string,
  unknown
>;

function problemsOf(raw: unknown): string[] {
  try {
    parseFrameworkFile(raw, 'f.json');
  } catch (error) {
    if (error instanceof FrameworkFileError) return error.problems;
    throw error;
  }
  return [];
}

describe('framework file', () => {
  it('accepts the shipped Bremen framework', async () => {
    const file = await readFrameworkFile('data/frameworks/bremen-2021.json');
    expect(file.goals).toHaveLength(4);
    expect(file.actionFields).toHaveLength(13);
    expect(file.departments).toHaveLength(12);
    expect(file.reportingCycles?.map((c) => c.code)).toEqual(['2022-2023', '2024-2025', '2026-2027']);
  });

  it('names the path and the problem for every error', () => {
    const broken = structuredClone(bremen) as {
      actionFields: object[];
      departments: object[];
      governanceBodies: { members: object[] }[];
    };
    broken.actionFields[2] = { code: '3.3', title: '', extra: 1 };
    broken.governanceBodies[0].members.push({ departmentCode: 'XYZ', function: 'Gast' });
    broken.departments.push({ code: 'SK', name: 'Doppelt' });
    expect(problemsOf(broken).sort()).toEqual([
      'actionFields[2].extra: ist kein zulässiges Feld',
      'actionFields[2].title: muss mindestens 1 Zeichen lang sein',
    ]);
    (broken.actionFields[2] as Record<string, unknown>) = { code: '3.3', title: 'Quartiere' };
    expect(problemsOf(broken)).toEqual([
      'departments[12].code: Code "SK" kommt doppelt vor',
      'governanceBodies[0].members[11].departmentCode: unbekanntes Ressort "XYZ"',
    ]);
  });

  it('refuses a file that is not JSON, naming the file', async () => {
    await expect(readFrameworkFile('package-lock-that-does-not-exist.json')).rejects.toThrow(
      'package-lock-that-does-not-exist.json: Datei kann nicht gelesen werden',
    );
    expect(problemsOf([])).toEqual(['(Wurzel): muss ein JSON-Objekt sein']);
  });
});
