import type { AppConfig } from '../common/config/app-config.js';
import { LoginLimiter } from './login-limiter.js';

describe('LoginLimiter', () => {
  const limiter = () => new LoginLimiter({ LOGIN_MAX_FAILURES_PER_MINUTE: 3 } as AppConfig);

  it('blocks after the configured number of failures within a minute, per account and address', () => {
    const l = limiter();
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) l.recordFailure('A@x.de', '1.1.1.1', t0 + i * 1000);
    expect(l.retryAfter('a@x.de', '1.1.1.1', t0 + 3000)).toBe(57);
    expect(l.retryAfter('a@x.de', '2.2.2.2', t0 + 3000)).toBe(0);
    expect(l.retryAfter('b@x.de', '1.1.1.1', t0 + 3000)).toBe(0);
    expect(l.retryAfter('a@x.de', '1.1.1.1', t0 + 60_001)).toBe(0);
  });

  it('forgets failures after a successful sign-in', () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) l.recordFailure('a@x.de', 'ip', 1000 + i);
    l.reset('a@x.de', 'ip');
    expect(l.retryAfter('a@x.de', 'ip', 2000)).toBe(0);
  });
});
