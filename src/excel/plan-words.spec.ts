import { DEFAULT_VOCABULARY, vocabularyOf } from '../framework/plans.service.js';
import type { Framework } from '../framework/framework.entity.js';
import { OWN_WORDS } from '../../test/factories/plan.factory.js';
import { MEASURE_COLUMNS } from './measure-columns.js';
import { inPlanColumns, inPlanWords, reportSheetName, sheetRef, unknownMessage } from './plan-words.js';

describe("the plan's words in the Excel files", () => {
  it('keeps every Bremen text as it is', () => {
    expect(inPlanWords('Beteiligte Ressorts', DEFAULT_VOCABULARY)).toBe('Beteiligte Ressorts');
    expect(inPlanColumns(MEASURE_COLUMNS, DEFAULT_VOCABULARY)).toEqual(MEASURE_COLUMNS);
    expect(reportSheetName('Handlungsfelder', DEFAULT_VOCABULARY)).toBe('Handlungsfelder');
    expect(unknownMessage('Handlungsfeld', 'field', 'Unbekanntes Handlungsfeld', '3.99')).toBe(
      'Unbekanntes Handlungsfeld „3.99“.',
    );
  });

  it("says a plan's own words, whole words only", () => {
    expect(inPlanColumns(MEASURE_COLUMNS, OWN_WORDS).map((c) => c.header)).toEqual(
      expect.arrayContaining([
        'Projekt',
        'Themenfeld',
        'Leitziele',
        'Beteiligte Organisationen',
        'Zielgruppen',
      ]),
    );
    expect(inPlanWords('Maßnahme(n) im Blatt „Maßnahmen“ je Handlungsfeld', OWN_WORDS)).toBe(
      'Projekte im Blatt „Projekte“ je Themenfeld',
    );
    expect(reportSheetName('Maßnahmen', OWN_WORDS)).toBe('Projekte');
    expect(reportSheetName('Übersicht', OWN_WORDS)).toBe('Übersicht');
    expect(unknownMessage('Themenfeld', 'field', 'Unbekanntes Handlungsfeld', '3.99')).toBe(
      'Themenfeld „3.99“ ist unbekannt.',
    );
  });

  it('quotes a sheet name in formulas when it is not a plain word, and keeps names within Excel’s rules', () => {
    expect(sheetRef('Maßnahmen')).toBe('Maßnahmen');
    expect(sheetRef('Projekte der Region')).toBe("'Projekte der Region'");
    expect(
      reportSheetName('Maßnahmen', {
        ...OWN_WORDS,
        measures: 'Projekte/Vorhaben: eine sehr lange Bezeichnung',
      }),
    ).toBe('Projekte Vorhaben  eine sehr la');
  });

  it('vocabularyOf fills the words a plan does not name with the Bremen words', () => {
    const plan = {
      id: 1,
      vocabulary: { measure: 'Projekt', measures: 'Projekte', goal: '' },
    } as unknown as Framework;
    expect(vocabularyOf(plan)).toEqual({ ...DEFAULT_VOCABULARY, measure: 'Projekt', measures: 'Projekte' });
    expect(vocabularyOf(null)).toEqual(DEFAULT_VOCABULARY);
  });
});
