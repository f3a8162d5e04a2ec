import type { TestApp } from '../helpers/test-app.js';

export const ADMIN_EMAIL = 'leitung@example.org';
export const ADMIN_PASSWORD = 'Koordination-2026!';

/** Settings for a production-mode test app with a first admin and no example data. */
export const PRODUCTION_SETTINGS = {
  DEMO: 'false',
  INITIAL_ADMIN_EMAIL: ADMIN_EMAIL,
  INITIAL_ADMIN_PASSWORD: ADMIN_PASSWORD,
};

/** Creates an editor of the department with the given code and returns a token for it. */
export async function editorOf(
  t: TestApp,
  adminToken: string,
  departmentId: number,
  name: string,
): Promise<string> {
  const email = `${name}@example.org`;
  await t.http
    .post('/api/users')
    .auth(adminToken, { type: 'bearer' })
    .send({ email, displayName: name, role: 'editor', departmentId, password: 'Ressort-Passwort-1' })
    .expect(201);
  return t.login(email, 'Ressort-Passwort-1');
}
