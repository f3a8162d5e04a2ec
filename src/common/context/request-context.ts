/**
 * Who is acting, for the lifetime of one request (or one CLI command): read by the audit subscriber, so that
 * services never have to pass the user down just to have their writes attributed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Role } from '../../auth/user.entity.js';
import type { PlanVocabulary } from '../../framework/plans.service.js';

/** An account's rights in one plan (see membership.entity.ts). */
export interface ActorMembership {
  frameworkId: number;
  role: Role;
  departmentId: number | null;
}

/**
 * The signed-in account. `role` and `departmentId` are its rights in the request's plan (set by the access
 * guard from the membership of the plan it decided); `memberships` are its rights in every plan.
 */
export interface Actor {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
  /** Manages accounts and plans; admin in every plan. Absent for the system's own actors (loader, command line). */
  installationAdmin?: boolean;
  /** Absent for the system's own actors, whose `role` holds in every plan. */
  memberships?: ActorMembership[];
}

export interface RequestContextData {
  requestId: string;
  ipAddress: string;
  actor?: Actor;
  /** Overrides the audit entry's action (e.g. "lifecycle", "review") for the writes inside withAudit(). */
  auditAction?: string;
  /** A reason or comment recorded with those writes. */
  auditNote?: string;
  /** The data version as the request began, read with the session check (see DataVersion migration). */
  dataVersion?: string;
  /**
   * The plan (framework id) the request is about, once decided: named by the page address or the request, or
   * the plan of the record the route works on. `resolvePlan` takes it when a request names no plan itself.
   */
  planId?: number;
  /** That plan's words, for the messages said in it (see request-words.ts). */
  words?: PlanVocabulary;
}

const storage = new AsyncLocalStorage<RequestContextData>();

export const RequestContext = {
  run<T>(data: RequestContextData, fn: () => T): T {
    return storage.run(data, fn);
  },
  current(): RequestContextData | undefined {
    return storage.getStore();
  },
  /** Runs fn with the audit action and note set for every write it makes; the outer context is unchanged. */
  withAudit<T>(audit: { action: string; note?: string }, fn: () => Promise<T>): Promise<T> {
    const parent = storage.getStore() ?? { requestId: '', ipAddress: '' };
    return storage.run({ ...parent, auditAction: audit.action, auditNote: audit.note }, fn);
  },
  setActor(actor: Actor): void {
    const store = storage.getStore();
    if (store) store.actor = actor;
  },
  /** The plan the request is about, with its words once they are read (the plan address sets it before). */
  setPlan(planId: number, words?: PlanVocabulary): void {
    const store = storage.getStore();
    if (!store) return;
    if (store.planId !== planId) delete store.words;
    store.planId = planId;
    if (words) store.words = words;
  },
  setDataVersion(version: string): void {
    const store = storage.getStore();
    if (store) store.dataVersion = version;
  },
};
