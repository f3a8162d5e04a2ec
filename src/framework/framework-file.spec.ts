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

  describe('the plan-shape fields', () => {
    const regio = JSON.parse(readFileSync('data/frameworks/regiopolregion-bielefeld.json', 'utf8')) as {
      framework: { measureCode: { pattern: string; example: string } };
      levels: { code: string; name: string }[];
      areas?: { code: string; name: string; level?: string }[];
      governanceBodies: Record<string, unknown>[];
    };
    const copy = () => structuredClone(regio);

    it('accepts the shipped files of the other plans', async () => {
      for (const file of [
        'data/frameworks/regiopolregion-bielefeld.json',
        'data/frameworks/metropolregion-bremen-oldenburg.json',
        'data/frameworks/tempelhof-schoeneberg-spk.json',
      ])
        await expect(readFrameworkFile(file)).resolves.toBeDefined();
    });

    it('wants exactly one cadence per body', () => {
      const both = copy();
      both.governanceBodies[1].meetingsPerYear = { min: 4, max: 5 };
      const none = copy();
      delete none.governanceBodies[1].intervalWeeks;
      const message =
        'governanceBodies[1]: genau eines von meetingsPerYear (Sitzungen im Jahr) oder intervalWeeks (Abstand in Wochen) angeben';
      expect(problemsOf(both)).toEqual([message]);
      expect(problemsOf(none)).toEqual([message]);
    });

    it('wants an interval of at least one week', () => {
      const file = copy();
      file.governanceBodies[1].intervalWeeks = { min: 0, max: 12 };
      expect(problemsOf(file)).toEqual([
        'governanceBodies[1].intervalWeeks.min: muss mindestens 1 Woche sein',
      ]);
    });

    it('wants the measure-code example to match the pattern', () => {
      const file = copy();
      file.framework.measureCode.example = 'MOB-1';
      expect(problemsOf(file)).toEqual(['framework.measureCode.example: "MOB-1" passt nicht zum Muster']);
    });

    it('refuses an area on a level the plan does not have', () => {
      const file = copy();
      file.areas = [{ code: 'guetersloh', name: 'Kreis Gütersloh', level: 'kreis' }];
      expect(problemsOf(file)).toEqual(['areas[0].level: unbekannte Ebene "kreis"']);
    });

    it('refuses a member of an organisation the file does not name', () => {
      const file = copy();
      file.governanceBodies[1].members = [{ departmentCode: 'GT', function: 'Vertretung' }];
      expect(problemsOf(file)).toEqual([
        'governanceBodies[1].members[0].departmentCode: unbekanntes Ressort "GT"',
      ]);
    });
  });
});
