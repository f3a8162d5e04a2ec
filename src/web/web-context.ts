/** What every page needs: the signed-in user, the CSRF token, the navigation for the role, the demo notice. */
import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AuthService } from '../auth/auth.service.js';
import { ROLE_LABELS } from '../auth/user.entity.js';
import { csrfToken, sessionToken } from '../common/auth/session.js';
import type { Actor } from '../common/context/request-context.js';
import { FrameworkService } from '../framework/framework.service.js';

export type WebRequest = Request & { actor?: Actor };

interface NavItem {
  key: string;
  href: string;
  label: string;
  roles: Actor['role'][];
}

/** How the header names the signed-in role (the account's own name stands before it). */
const ROLE_SHORT: Record<Actor['role'], string> = {
  admin: 'Administration',
  editor: 'Bearbeitung',
  viewer: 'Lesezugriff',
};

const NAV: NavItem[] = [
  { key: 'dashboard', href: '/', label: 'Übersicht', roles: ['admin', 'editor', 'viewer'] },
  { key: 'measures', href: '/massnahmen', label: 'Maßnahmen', roles: ['admin', 'editor', 'viewer'] },
  { key: 'reports', href: '/meldungen', label: 'Meldungen', roles: ['editor', 'admin'] },
  { key: 'review', href: '/pruefung', label: 'Prüfung', roles: ['admin'] },
  { key: 'cycles', href: '/berichtszyklen', label: 'Berichtszyklen', roles: ['admin', 'editor', 'viewer'] },
  { key: 'governance', href: '/gremien', label: 'Gremien', roles: ['admin', 'editor', 'viewer'] },
  { key: 'indicators', href: '/indikatoren', label: 'Indikatoren', roles: ['admin', 'editor', 'viewer'] },
  { key: 'framework', href: '/rahmenkonzept', label: 'Rahmenkonzept', roles: ['admin'] },
  { key: 'accounts', href: '/konten', label: 'Konten', roles: ['admin'] },
  { key: 'audit', href: '/protokoll', label: 'Protokoll', roles: ['admin'] },
  { key: 'notifications', href: '/benachrichtigungen', label: 'Benachrichtigungen', roles: ['admin'] },
  { key: 'jobs', href: '/auftraege', label: 'Aufträge', roles: ['admin'] },
];

@Injectable()
export class WebContext {
  constructor(
    private readonly auth: AuthService,
    private readonly frameworks: FrameworkService,
  ) {}

  async page(
    request: WebRequest,
    title: string,
    active: string,
    extra: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> {
    const actor = request.actor;
    const session = sessionToken(request);
    const framework = await this.frameworks.findCurrent();
    return {
      title,
      active,
      actor,
      roleLabel: actor ? ROLE_LABELS[actor.role] : '',
      userLabel: actor ? await this.userLabel(actor) : '',
      nav: actor ? NAV.filter((item) => item.roles.includes(actor.role)) : [],
      csrf: session ? csrfToken(this.auth.csrfSecret, session) : '',
      demo: framework?.demoMode ?? false,
      // The header names the plan and the administration it belongs to.
      site: framework ? { name: framework.name, region: framework.region } : null,
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
        nav: actor ? NAV.filter((item) => item.roles.includes(actor.role)) : [],
        csrf: '',
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
