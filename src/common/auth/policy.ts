/**
 * What a policy answers: allowed, or refused with a code, a German reason and the kind of refusal. The API,
 * the pages, the imports and the command line ask the same policy function; the pages use `allowed` to show
 * or hide a control, the services `enforce` it for the very record written.
 */
import { DomainError } from '../http/domain-errors.js';
import type { FeatureErrorCode } from '../http/error-codes.js';

export type PolicyDecision =
  | { allowed: true }
  | { allowed: false; kind: 'forbidden' | 'conflict'; code: FeatureErrorCode; message: string };

export const ALLOW: PolicyDecision = { allowed: true };

export function deny(
  code: FeatureErrorCode,
  message: string,
  kind: 'forbidden' | 'conflict' = 'forbidden',
): PolicyDecision {
  return { allowed: false, kind, code, message };
}

/** Throws the refusal as the domain error it is (403, or 409 for a record in the wrong state). */
export function enforce(decision: PolicyDecision): void {
  if (!decision.allowed) throw new DomainError(decision.kind, decision.code, decision.message);
}
