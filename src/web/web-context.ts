/** What every page needs: the signed-in user, the CSRF token, the navigation for the role, the demo notice. */
import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AuthService } from '../auth/auth.service.js';
import { ROLE_LABELS } from '../auth/user.entity.js';
import { csrfToken, sessionToken } from '../common/auth/session.js';
import { plansOf } from '../auth/memberships.js';
import { type Actor, RequestContext } from '../common/context/request-context.js';
import { FrameworkService } from '../framework/framework.service.js';
import {
  DEFAULT_VOCABULARY,
  type PlanSummary,
  type PlanVocabulary,
  PlansService,
} from '../framework/plans.service.js';
import { planWord } from '../framework/request-words.js';
import { firstPlanOf, planBaseOf, type PlanAddressRequest } from './plan-address.middleware.js';

export type WebRequest = Request & { actor?: Actor; planCode?: string };

interface NavItem {
  key: string;
  href: string;
  label: string;
  roles: Actor['role'][];
  /** Only for the installation's administration (accounts, mail of every plan). */
  installation?: boolean;
}

/** How the header names the signed-in role (the account's own name stands before it). */
const ROLE_SHORT: Record<Actor['role'], string> = {
  admin: 'Administration',
  editor: 'Bearbeitung',
  viewer: 'Lesezugriff',
};

/** The main navigation; a label may be a word of the plan's vocabulary. */
const NAV: NavItem[] = [
  { key: 'dashboard', href: '/', label: 'Übersicht', roles: ['admin', 'editor', 'viewer'] },
  { key: 'measures', href: '/massnahmen', label: 'Maßnahmen', roles: ['admin', 'editor', 'viewer'] },
  { key: 'reports', href: '/meldungen', label: 'Meldungen', roles: ['editor', 'admin'] },
  { key: 'review', href: '/pruefung', label: 'Prüfung', roles: ['admin'] },
  { key: 'cycles', href: '/berichtszyklen', label: 'Berichtszyklen', roles: ['admin', 'editor', 'viewer'] },
  { key: 'governance', href: '/gremien', label: 'Gremien', roles: ['admin', 'editor', 'viewer'] },
  { key: 'indicators', href: '/indikatoren', label: 'Indikatoren', roles: ['admin', 'editor', 'viewer'] },
  { key: 'framework', href: '/rahmenkonzept', label: 'Rahmenkonzept', roles: ['admin'] },
  { key: 'accounts', href: '/konten', label: 'Konten', roles: ['admin'], installation: true },
  { key: 'audit', href: '/protokoll', label: 'Protokoll', roles: ['admin'] },
  {
    key: 'notifications',
    href: '/benachrichtigungen',
    label: 'Benachrichtigungen',
    roles: ['admin'],
    installation: true,
  },
  { key: 'jobs', href: '/auftraege', label: 'Aufträge', roles: ['admin'] },
];

/** The navigation of a role, under the plan's address and in the plan's words. */
function navFor(
  actor: Actor | undefined,
  planBase = '',
  vocab: PlanVocabulary = DEFAULT_VOCABULARY,
): NavItem[] {
  if (!actor) return [];
  const words: Partial<Record<string, string>> = {
    measures: vocab.measures,
    governance: vocab.bodies,
    // The plan as a whole, as every page and message calls it.
    framework: planWord(vocab),
  };
  const shown = NAV.filter(
    (item) => item.roles.includes(actor.role) && (!item.installation || actor.installationAdmin !== false),
  );
  return shown.map((item) => ({
    ...item,
    href: `${planBase}${item.href}`,
    label: words[item.key] ?? item.label,
  }));
}

export { wordedIn } from '../framework/request-words.js';

/** The plan a page is about and the plans of the switcher. */
export interface PagePlan {
  plan: PlanSummary | null;
  plans: PlanSummary[];
  planBase: string;
  vocab: PlanVocabulary;
}

@Injectable()
export class WebContext {
  constructor(
    private readonly auth: AuthService,
    private readonly frameworks: FrameworkService,
    private readonly planList: PlansService,
  ) {}

  /**
   * The request's plan (its address, or the plan the request context decided), else the only plan, else the
   * user's first plan; the plans to switch between; the address prefix of the plan's pages ("" with one plan
   * and no plan in the address).
   */
  async plan(request: WebRequest): Promise<PagePlan> {
    const plans = await this.planList.list();
    const decided = RequestContext.current()?.planId ?? firstPlanOf(request.actor);
    const plan = plans.find((p) => p.id === decided) ?? plans[0] ?? null;
    const code = (request as PlanAddressRequest).planCode ?? (plans.length > 1 ? plan?.code : undefined);
    return {
      plan,
      // The switcher offers the plans the account has a role in.
      plans: plansOf(request.actor, plans),
      planBase: planBaseOf(code),
      vocab: plan?.vocabulary ?? { ...DEFAULT_VOCABULARY },
    };
  }

  async page(
    request: WebRequest,
    title: string | ((vocab: PlanVocabulary) => string),
    active: string,
    extra: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> {
    const actor = request.actor;
    const session = sessionToken(request);
    const framework = await this.frameworks.findCurrent();
    const { plan, plans, planBase, vocab } = await this.plan(request);
    return {
      title: typeof title === 'function' ? title(vocab) : title,
      active,
      actor,
      roleLabel: actor ? ROLE_LABELS[actor.role] : '',
      userLabel: actor ? await this.userLabel(actor) : '',
      nav: navFor(actor, planBase, vocab),
      csrf: session ? csrfToken(this.auth.csrfSecret, session) : '',
      demo: framework?.demoMode ?? false,
      // The header names the plan and the administration it belongs to.
      site: plan ? { name: plan.name, region: plan.region } : null,
      plan,
      plans,
      planBase,
      vocab,
      // The page without the plan in its address: where the switcher leads under the other plan.
      currentPath: request.url,
      ...extra,
    };
  }

  /**
   * What an error page needs of the layout: the same header and navigation as every page. Falls back to the
   * bare minimum when the context itself cannot be read (e.g. the database is locked).
   */
  async errorPage(request: WebRequest, extra: Record<string, unknown>): Promise<Record<string, unknown>> {
    try {
      return await this.page(request, typeof extra.title === 'string' ? extra.title : '', '', extra);
    } catch {
      const actor = request.actor;
      return {
        actor,
        userLabel: actor ? actor.displayName : '',
        nav: navFor(actor),
        csrf: '',
        planBase: planBaseOf((request as PlanAddressRequest).planCode),
        vocab: { ...DEFAULT_VOCABULARY },
        ...extra,
      };
    }
  }

  /** "Ressort Soziales (Demo) – Bearbeitung, Arbeit, Soziales, Jugend und Integration": name, role, department. */
  private async userLabel(actor: Actor): Promise<string> {
    const role = ROLE_SHORT[actor.role];
    const department =
      actor.role === 'editor' && actor.departmentId
        ? await this.frameworks.getDepartment(actor.departmentId).catch(() => null)
        : null;
    return `${actor.displayName} – ${role}${department ? `, ${department.name}` : ''}`;
  }
}
