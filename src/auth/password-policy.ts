import { ValidateBy } from 'class-validator';
/** Minimum strength for passwords set through the API or the CLI (demo accounts are exempt). */
export function passwordProblems(password: string, email?: string): string[] {
  const problems: string[] = [];
  if (password.length < 10) problems.push('muss mindestens 10 Zeichen lang sein');
  if (password.length > 200) problems.push('darf höchstens 200 Zeichen lang sein');
  const classes = [/[a-zäöüß]/, /[A-ZÄÖÜ]/, /\d/, /[^A-Za-zÄÖÜäöüß\d]/].filter((re) =>
    re.test(password),
  ).length;
  if (classes < 3) {
    problems.push(
      'muss mindestens drei von vier Zeichenarten enthalten (Klein-, Großbuchstaben, Ziffern, Sonderzeichen)',
    );
  }
  if (email && password.toLowerCase().includes(email.split('@')[0].toLowerCase())) {
    problems.push('darf die E-Mail-Adresse nicht enthalten');
  }
  return problems;
}

/** The same policy as a class-validator decorator, so the API lists it with the other field errors. */
export function StrongPassword(): PropertyDecorator {
  return ValidateBy({
    name: 'strongPassword',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && passwordProblems(value).length === 0,
      defaultMessage: (args) =>
        typeof args?.value === 'string' ? passwordProblems(args.value).join('; ') : 'muss ein Text sein',
    },
  });
}
