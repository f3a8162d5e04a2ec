/**
 * Signs in through the sign-in form as a browser does: the page sets the pre-session cookie and the form
 * carries its token (login CSRF protection). Returns the session token from the session cookie.
 */
import type request from 'supertest';
import { LOGIN_COOKIE } from '../../src/common/auth/login-csrf.js';
import { SESSION_COOKIE } from '../../src/common/auth/session.js';

type TestAgent = ReturnType<typeof request>;

/** The pre-session cookie ("rkm_login=…") and the form token of a freshly shown sign-in page. */
export async function signInForm(http: TestAgent): Promise<{ cookie: string; _csrf: string }> {
  const page = await http.get('/anmelden');
  const cookies = ([] as string[]).concat(page.headers['set-cookie'] ?? []);
  const cookie = cookies.map((c) => c.split(';')[0]).find((c) => c.startsWith(`${LOGIN_COOKIE}=`));
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (!cookie || !token) throw new Error(`Die Anmeldeseite lieferte kein Formular-Token (${page.status}).`);
  return { cookie, _csrf: token };
}

/** Posts the sign-in form with a valid token; resolves to the response (303 on success). */
export async function postSignIn(
  http: TestAgent,
  email: string,
  password = 'demo1234',
): Promise<request.Response> {
  const { cookie, _csrf } = await signInForm(http);
  return http.post('/anmelden').set('Cookie', cookie).type('form').send({ email, password, _csrf });
}

/** Signs in through the form and returns the session token. */
export async function signInByForm(http: TestAgent, email: string, password = 'demo1234'): Promise<string> {
  const res = await postSignIn(http, email, password);
  const session = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(String(res.headers['set-cookie']))?.[1];
  if (res.status !== 303 || !session)
    throw new Error(`Anmeldung als ${email} über das Formular: ${res.status}`);
  return session;
}
