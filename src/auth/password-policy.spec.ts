import { passwordProblems } from './password-policy.js';

describe('password policy', () => {
  it('accepts a long password with three kinds of characters', () => {
    expect(passwordProblems('Sommer-Regen-2026')).toEqual([]);
  });

  it.each([
    ['kurz1A', 'muss mindestens 10 Zeichen lang sein'],
    ['nurkleinbuchstaben', 'muss mindestens drei von vier Zeichenarten enthalten'],
    ['Mustermann-2026!', 'darf die E-Mail-Adresse nicht enthalten'],
  ])('refuses %s', (password, problem) => {
    expect(passwordProblems(password, 'mustermann@example.org').join(' ')).toContain(problem);
  });
});
