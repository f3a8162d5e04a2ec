import { readFileSync } from 'node:fs';
import { compareVersions, fileChanges, type FileJson, firstDifference } from './framework-file-diff.js';

const bremen = JSON.parse(readFileSync('data/frameworks/bremen-2021.json', 'utf8')) as FileJson;

describe('framework file differences', () => {
  it('orders versions by the numbers in them', () => {
    expect(compareVersions('2021.1', '2021')).toBe(1);
    expect(compareVersions('2021', '2021.1')).toBe(-1);
    expect(compareVersions('2021', '2021')).toBe(0);
    expect(compareVersions('Fortschreibung 2025', '2021.1')).toBe(1);
    expect(compareVersions('2020', '2021')).toBe(-1);
    expect(compareVersions('v2', 'Version 2')).toBe(0);
  });

  it('names the first difference by its path, reading missing optional texts as empty', () => {
    const changed = structuredClone(bremen);
    changed.actionFields[2].title = 'Quartiere';
    changed.goals[0].description = '';
    expect(firstDifference(bremen, changed)).toBe(
      'actionFields[2].title: „Quartiere“ statt „Stärkung der Quartiere mit stadtweiten Integrationsaufgaben“',
    );
    expect(firstDifference(bremen, structuredClone(bremen))).toBeNull();
  });

  it('turns a new file into revision changes; a missing field is retired, a missing goal is a problem', () => {
    const next = structuredClone(bremen);
    next.actionFields[2].title = 'Quartiere';
    next.actionFields.push({ code: '3.14', title: 'Digitale Teilhabe' });
    next.actionFields = next.actionFields.filter((f) => f.code !== '3.13');
    next.goals = next.goals.slice(0, 3);
    const { changes, problems } = fileChanges(bremen, next);
    expect(changes).toEqual([
      expect.objectContaining({ kind: 'update_field', code: '3.3', title: 'Quartiere', sortOrder: 3 }),
      expect.objectContaining({ kind: 'add_field', code: '3.14', title: 'Digitale Teilhabe', sortOrder: 13 }),
      { kind: 'retire_field', code: '3.13' },
    ]);
    expect(problems).toEqual(['goals: Ziel 2.4 fehlt in der neuen Datei; Ziele werden nicht entfernt']);
  });
});
