/**
 * Reminders by e-mail. One run looks at what is due today (cycles open for input, deadlines, reviewed reports,
 * decisions falling due, the coordinating unit's weekly digest), records each mail once per account and event
 * in the notification log, and sends what is pending or due for a retry. A run holds the job lease, so that
 * several instances on one database send each mail once; the log's unique (account, event) pair keeps a
 * second run from sending it again.
 */
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Membership } from '../auth/membership.entity.js';
import { User } from '../auth/user.entity.js';
import { appBaseUrl } from '../common/base-url.js';
import { AppConfig } from '../common/config/app-config.js';
import { todayInBremen } from '../common/dates.js';
import type { Page } from '../common/paging.js';
import { Department } from '../framework/department.entity.js';
import { Framework } from '../framework/framework.entity.js';
import { OPEN_STATES } from '../governance/decision.view.js';
import { Decision } from '../governance/decision.entity.js';
import { DecisionsService } from '../governance/decisions.service.js';
import { Measure } from '../measures/measure.entity.js';
import { StatusReport } from '../measures/status-report.entity.js';
import { addDays, CompletenessService, daysBetween } from '../reporting/completeness.service.js';
import { ReportingCycle } from '../reporting/reporting-cycle.entity.js';
import { JobLockService } from './job-lock.service.js';
import { Mailer } from './mailer.js';
import { composeMail, germanDay, type MailContent, type MailSection } from './notification-mails.js';
import { NotificationLog, type NotificationState } from './notification-log.entity.js';
import { DEFAULT_VOCABULARY, type PlanVocabulary, vocabularyOf } from '../framework/plans.service.js';
import { wordedIn } from '../framework/request-words.js';

export const NOTIFY_LOCK = 'notifications';
/** Tries of one mail before it is given up (it stays visible as failed). */
export const MAX_ATTEMPTS = 5;
/** Wait before the n-th retry: 5 minutes, doubled each time. */
export const retryDelayMs = (attempts: number): number => 5 * 60_000 * 2 ** Math.max(0, attempts - 1);
/** Reviewed reports and decisions older than this are not announced (e.g. when mail is switched on later). */
const LOOKBACK_DAYS = 14;
const LEASE_MS = 10 * 60_000;

type Recipient = Pick<
  User,
  'id' | 'email' | 'displayName' | 'role' | 'departmentId' | 'digestEmails' | 'installationAdmin'
> & {
  /** The account's roles per plan (plan, role, organisation). */
  memberships: Pick<Membership, 'frameworkId' | 'role' | 'departmentId'>[];
};

/** The plan a mail is about: named in its subject (with several plans) and text, its links under its address. */
interface MailPlan {
  id: number;
  name: string;
  /** " – <plan name>" for subjects when the installation runs several plans; "" with one. */
  subjectSuffix: string;
  /** The pages' address of the plan: "<base>/plaene/<code>" with several plans, "<base>" with one. */
  base: string;
  /** The plan's words, for the mails' texts. */
  words: PlanVocabulary;
}

/**
 * The accounts with `role` in a plan (of one organisation, for editors): who hears about the plan's cycles,
 * decisions and digest. The one place that says who belongs to a plan: the accounts' memberships there, and
 * the installation's administrators as every plan's administration.
 */
export function recipientsIn(
  users: Recipient[],
  frameworkId: number,
  role: Recipient['role'],
  departmentId?: number,
): Recipient[] {
  return users.filter(
    (u) =>
      // An installation administrator is the administration of every plan.
      (role === 'admin' && u.installationAdmin) ||
      u.memberships.some(
        (m) =>
          m.frameworkId === frameworkId &&
          m.role === role &&
          (departmentId === undefined || m.departmentId === departmentId),
      ),
  );
}

export interface PlannedMail {
  userId: number;
  recipient: string;
  eventKey: string;
  kind: string;
  mail: MailContent;
}

export interface NotificationView {
  id: number;
  userId: number;
  recipient: string;
  eventKey: string;
  kind: string;
  subject: string;
  state: NotificationState;
  attempts: number;
  lastError: string;
  nextAttemptAt: string | null;
  sentAt: string | null;
  createdAt: string;
}

export interface RunResult {
  /** False without SMTP_URL: nothing is recorded or sent. */
  configured: boolean;
  dryRun: boolean;
  /** False when another instance holds the job lease; this run did nothing. */
  ran: boolean;
  /** New mails (a dry run: the mails that would be recorded and sent now). */
  planned: { recipient: string; eventKey: string; subject: string }[];
  /** Retries due now (a dry run: those that would be tried). */
  retries: number;
  sent: number;
  failed: number;
}

const iso = (value: Date | null | undefined): string | null => (value ? new Date(value).toISOString() : null);

function toView(row: NotificationLog): NotificationView {
  return {
    id: row.id,
    userId: row.userId,
    recipient: row.recipient,
    eventKey: row.eventKey,
    kind: row.kind,
    subject: row.subject,
    state: row.state,
    attempts: row.attempts,
    lastError: row.lastError,
    nextAttemptAt: iso(row.nextAttemptAt),
    sentAt: iso(row.sentAt),
    createdAt: iso(row.createdAt) ?? '',
  };
}

/** ISO week of a day, as 2027-W03. */
export function isoWeek(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7;
  date.setUTCDate(date.getUTCDate() - weekday + 3);
  const year = date.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  const week =
    1 +
    Math.round(
      (date.getTime() - firstThursday.getTime()) / 86_400_000 / 7 -
        (((firstThursday.getUTCDay() + 6) % 7) - 3) / 7,
    );
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * One mail per editor and cycle in a run: when "Erfassung geöffnet" goes out, the reminder before the deadline
 * and the one on the deadline day that fall due in the same run are superseded (the opening mail names the
 * deadline and what is still owed). They are recorded as skipped, not left unrecorded: the next run, minutes
 * or a day later, would otherwise send the reminder right after the opening mail.
 */
export function oneMailPerCycle(planned: PlannedMail[]): { fresh: PlannedMail[]; superseded: PlannedMail[] } {
  const opening = new Set(
    planned.filter((p) => /^cycle:\d+:open$/.test(p.eventKey)).map((p) => `${p.userId}|${p.eventKey}`),
  );
  const fresh: PlannedMail[] = [];
  const superseded: PlannedMail[] = [];
  for (const p of planned) {
    const reminder = /^(cycle:\d+):(before|deadline)$/.exec(p.eventKey);
    if (reminder && opening.has(`${p.userId}|${reminder[1]}:open`)) superseded.push(p);
    else fresh.push(p);
  }
  return { fresh, superseded };
}

@Injectable()
export class NotificationsService {
  private readonly logger = new Logger('Benachrichtigungen');

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly mailer: Mailer,
    private readonly lock: JobLockService,
    private readonly completeness: CompletenessService,
    private readonly decisions: DecisionsService,
    private readonly audit: AuditService,
  ) {}

  get configured(): boolean {
    return this.mailer.configured;
  }

  private get baseUrl(): string {
    return appBaseUrl(this.config);
  }

  async list(page = 1, pageSize = 50, state?: NotificationState): Promise<Page<NotificationView>> {
    const [rows, total] = await this.dataSource.manager.findAndCount(NotificationLog, {
      where: state ? { state } : {},
      order: { id: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items: rows.map(toView), total, page, pageSize };
  }

  async failedCount(): Promise<number> {
    return this.dataSource.manager.countBy(NotificationLog, { state: 'failed' });
  }

  /**
   * One run: record the mails due now and send them, with the retries that are due. `dryRun` records and sends
   * nothing and lists what would go out. `trigger` names who started it, for the audit trail.
   */
  async run(options: { dryRun?: boolean; now?: Date; trigger?: string } = {}): Promise<RunResult> {
    const now = options.now ?? new Date();
    const dryRun = options.dryRun ?? false;
    const result: RunResult = {
      configured: this.configured,
      dryRun,
      ran: false,
      planned: [],
      retries: 0,
      sent: 0,
      failed: 0,
    };
    if (!this.configured && !dryRun) return result;
    if (dryRun) {
      const { fresh } = oneMailPerCycle(await this.unrecorded(await this.plan(now)));
      result.planned = fresh.map((m) => ({
        recipient: m.recipient,
        eventKey: m.eventKey,
        subject: m.mail.subject,
      }));
      result.retries = (await this.dueForSending(now)).length;
      result.ran = true;
      return result;
    }
    if (!(await this.lock.acquire(NOTIFY_LOCK, LEASE_MS, now.getTime()))) return result;
    try {
      result.ran = true;
      const { fresh, superseded } = oneMailPerCycle(await this.unrecorded(await this.plan(now)));
      for (const planned of superseded) await this.record(planned, now, 'skipped');
      for (const planned of fresh) {
        await this.record(planned, now);
        result.planned.push({
          recipient: planned.recipient,
          eventKey: planned.eventKey,
          subject: planned.mail.subject,
        });
      }
      const due = await this.dueForSending(now);
      result.retries = due.filter((row) => row.attempts > 0).length;
      for (const row of due) {
        const outcome = await this.attempt(row, now);
        if (outcome === 'sent') result.sent++;
        else if (outcome === 'failed') result.failed++;
      }
      if (result.planned.length || result.sent || result.failed || options.trigger) {
        await this.audit.recordEvent({
          action: 'notifications_run',
          entity: 'NotificationLog',
          note: `${options.trigger ?? 'Zeitplan'}: ${result.planned.length} neu, ${result.sent} versendet, ${result.failed} fehlgeschlagen`,
        });
      }
      return result;
    } finally {
      await this.lock.release(NOTIFY_LOCK);
    }
  }

  /** The planned mails whose (account, event) pair is not yet in the log. */
  private async unrecorded(planned: PlannedMail[]): Promise<PlannedMail[]> {
    if (planned.length === 0) return [];
    const keys = [...new Set(planned.map((p) => p.eventKey))];
    const existing = new Set<string>();
    for (let i = 0; i < keys.length; i += 500) {
      const rows = await this.dataSource.manager.find(NotificationLog, {
        select: { userId: true, eventKey: true },
        where: { eventKey: In(keys.slice(i, i + 500)) },
      });
      for (const row of rows) existing.add(`${row.userId}|${row.eventKey}`);
    }
    return planned.filter((p) => !existing.has(`${p.userId}|${p.eventKey}`));
  }

  /**
   * Records a planned mail (`skipped`: one that is never to be sent); a pair that another run recorded first is
   * left as it is.
   */
  private async record(
    planned: PlannedMail,
    now: Date,
    state: 'pending' | 'skipped' = 'pending',
  ): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(NotificationLog)
      .values({
        userId: planned.userId,
        recipient: planned.recipient,
        eventKey: planned.eventKey,
        kind: planned.kind,
        subject: planned.mail.subject,
        textBody: planned.mail.text,
        htmlBody: planned.mail.html,
        state,
        attempts: 0,
        lastError: '',
        nextAttemptAt: state === 'pending' ? now : undefined,
      })
      .orIgnore()
      .callListeners(false)
      .updateEntity(false)
      .execute();
  }

  /** Pending mails and failed ones whose retry is due (few rows: the filter runs here). */
  private async dueForSending(now: Date): Promise<NotificationLog[]> {
    const rows = await this.dataSource.manager.find(NotificationLog, {
      where: { state: In(['pending', 'failed']) },
      order: { id: 'ASC' },
    });
    return rows.filter(
      (row) =>
        row.attempts < MAX_ATTEMPTS &&
        row.nextAttemptAt &&
        new Date(row.nextAttemptAt).getTime() <= now.getTime(),
    );
  }

  /**
   * One try of one mail. The try is claimed first (attempts + 1 where attempts is still what was read), so
   * that two senders never send the same try; then the result is written.
   */
  private async attempt(row: NotificationLog, now: Date): Promise<'sent' | 'failed' | 'skipped'> {
    const attempts = row.attempts + 1;
    const claim = await this.dataSource
      .createQueryBuilder()
      .update(NotificationLog)
      .set({ attempts, nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)) })
      .where('"id" = :id AND "attempts" = :seen', { id: row.id, seen: row.attempts })
      .callListeners(false)
      .execute();
    if (claim.affected !== 1) return 'skipped';
    try {
      await this.mailer.send(row.recipient, {
        subject: row.subject,
        text: row.textBody,
        html: row.htmlBody,
      });
      await this.dataSource
        .createQueryBuilder()
        .update(NotificationLog)
        .set({ state: 'sent', sentAt: new Date(), nextAttemptAt: () => 'NULL', lastError: '' })
        .where('"id" = :id', { id: row.id })
        .callListeners(false)
        .execute();
      return 'sent';
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
      this.logger.warn(`Versand an ${row.recipient} fehlgeschlagen (Versuch ${attempts}): ${message}`);
      await this.dataSource
        .createQueryBuilder()
        .update(NotificationLog)
        .set({
          state: 'failed',
          lastError: message,
          ...(attempts >= MAX_ATTEMPTS ? { nextAttemptAt: () => 'NULL' } : {}),
        })
        .where('"id" = :id', { id: row.id })
        .callListeners(false)
        .execute();
      return 'failed';
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // What is due today

  /** Every mail that the state of the data calls for today (recorded or not). */
  async plan(now: Date): Promise<PlannedMail[]> {
    const today = todayInBremen(now);
    const memberships = await this.dataSource.manager.find(Membership, {
      select: { userId: true, frameworkId: true, role: true, departmentId: true },
    });
    const users: Recipient[] = (await this.dataSource.manager.find(User, { where: { active: true } })).map(
      (user) => ({ ...user, memberships: memberships.filter((m) => m.userId === user.id) }),
    );
    const departments = await this.dataSource.manager.find(Department);
    const departmentName = new Map(departments.map((d) => [d.id, d.name]));
    const frameworks = await this.dataSource.manager.find(Framework, {
      select: { id: true, code: true, name: true, vocabulary: true },
      order: { id: 'ASC' },
    });
    const several = frameworks.length > 1;
    const plans = new Map<number, MailPlan>(
      frameworks.map((f) => [
        f.id,
        {
          id: f.id,
          name: f.name,
          subjectSuffix: several ? ` – ${f.name}` : '',
          base: several ? `${this.baseUrl}/plaene/${encodeURIComponent(f.code)}` : this.baseUrl,
          words: vocabularyOf(f),
        },
      ]),
    );
    const editorsOf = (plan: MailPlan, departmentId: number): Recipient[] =>
      recipientsIn(users, plan.id, 'editor', departmentId);
    const mails: PlannedMail[] = [];
    mails.push(...(await this.cycleMails(today, plans, editorsOf, departmentName)));
    mails.push(...(await this.reviewMails(now, users, plans)));
    mails.push(...(await this.decisionMails(today, plans, editorsOf)));
    for (const plan of plans.values())
      mails.push(
        ...(await this.digestMails(today, plan, recipientsIn(users, plan.id, 'admin'), departmentName)),
      );
    return mails;
  }

  private mail(
    user: Recipient,
    eventKey: string,
    kind: string,
    content: Parameters<typeof composeMail>[0],
  ): PlannedMail {
    return { userId: user.id, recipient: user.email, eventKey, kind, mail: composeMail(content) };
  }

  /** The plan of a record (one loaded after the run began: unnamed, at the unprefixed address). */
  private planOf(plans: Map<number, MailPlan>, frameworkId: number): MailPlan {
    return (
      plans.get(frameworkId) ?? {
        id: frameworkId,
        name: '',
        subjectSuffix: '',
        base: this.baseUrl,
        words: DEFAULT_VOCABULARY,
      }
    );
  }

  /** Editors: a cycle opens for input; N days before its deadline, on it, and weekly while overdue. */
  private async cycleMails(
    today: string,
    plans: Map<number, MailPlan>,
    editorsOf: (plan: MailPlan, departmentId: number) => Recipient[],
    departmentName: Map<number, string>,
  ): Promise<PlannedMail[]> {
    const cycles = await this.dataSource.manager.find(ReportingCycle, { where: { state: 'collecting' } });
    const mails: PlannedMail[] = [];
    for (const cycle of cycles) {
      const plan = this.planOf(plans, cycle.frameworkId);
      const link = { label: 'Zu Ihren Meldungen', url: `${plan.base}/meldungen` };
      const of = `des Plans „${plan.name}“`;
      const deadline = germanDay(cycle.inputDeadline);
      const daysLeft = daysBetween(today, cycle.inputDeadline);
      const owing = new Map(
        (await this.completeness.reminders(cycle, today)).map((r) => [r.departmentId, r.items]),
      );
      const due = (await this.completeness.completeness(cycle)).filter((d) => d.due > 0);
      for (const department of due) {
        const items = owing.get(department.departmentId) ?? [];
        const section: MailSection = {
          heading: `Noch offene Meldungen (${departmentName.get(department.departmentId) ?? ''})`,
          items: items.slice(0, 30).map((i) => ({
            label: `${i.code} ${i.title}`,
            detail: i.reason === 'returned' ? `zurückgegeben: ${i.reviewComment}` : 'Meldung fehlt',
          })),
          more: Math.max(0, items.length - 30),
        };
        for (const editor of editorsOf(plan, department.departmentId)) {
          const base = `cycle:${cycle.id}`;
          if (daysLeft >= 0)
            mails.push(
              this.mail(editor, `${base}:open`, 'cycle_open', {
                subject: `Berichtszyklus ${cycle.name}: Erfassung geöffnet, Frist ${daysLeft === 0 ? `heute (${deadline})` : deadline}${plan.subjectSuffix}`,
                greetingName: editor.displayName,
                paragraphs: [
                  `für den Berichtszyklus „${cycle.name}“ ${of} können jetzt Sachstandsmeldungen eingegeben werden.`,
                  `${wordedIn(plan.words, 'Bitte melden Sie den Stand der Maßnahmen Ihres Ressorts', `Bitte melden Sie den Stand der ${plan.words.measures}, für die Sie als ${plan.words.organisation} federführend sind,`)} ${daysLeft === 0 ? `bis heute, den ${deadline}` : `bis zum ${deadline}`}.`,
                ],
                sections: items.length ? [section] : [],
                link,
              }),
            );
          if (items.length === 0) continue;
          if (daysLeft > 0 && daysLeft <= this.config.NOTIFY_DAYS_BEFORE_DEADLINE)
            mails.push(
              this.mail(editor, `${base}:before`, 'deadline_soon', {
                subject: `Erinnerung: Meldefrist ${cycle.name} endet am ${deadline}${plan.subjectSuffix}`,
                greetingName: editor.displayName,
                paragraphs: [
                  `die Meldefrist des Berichtszyklus „${cycle.name}“ ${of} endet in ${daysLeft} ${daysLeft === 1 ? 'Tag' : 'Tagen'}, am ${deadline}.`,
                ],
                sections: [section],
                link,
              }),
            );
          if (daysLeft === 0)
            mails.push(
              this.mail(editor, `${base}:deadline`, 'deadline', {
                subject: `Heute endet die Meldefrist ${cycle.name}${plan.subjectSuffix}`,
                greetingName: editor.displayName,
                paragraphs: [
                  `heute, am ${deadline}, endet die Meldefrist des Berichtszyklus „${cycle.name}“ ${of}.`,
                ],
                sections: [section],
                link,
              }),
            );
          if (daysLeft < 0) {
            const week = Math.ceil(-daysLeft / 7);
            // From the second week on the reminder is a weekly mail, which the account may have switched off.
            if (week > 1 && !editor.digestEmails) continue;
            mails.push(
              this.mail(editor, `${base}:overdue:${week}`, 'overdue', {
                subject: `Meldefrist ${cycle.name} überschritten (seit ${deadline})${plan.subjectSuffix}`,
                greetingName: editor.displayName,
                paragraphs: [
                  `die Meldefrist des Berichtszyklus „${cycle.name}“ ${of} ist seit dem ${deadline} abgelaufen (${-daysLeft} ${daysLeft === -1 ? 'Tag' : 'Tage'}). Bitte holen Sie die fehlenden Meldungen nach.`,
                ],
                sections: [section],
                link,
              }),
            );
          }
        }
      }
    }
    return mails;
  }

  /** The author of a report hears when it is returned (with the comment) or accepted. */
  private async reviewMails(
    now: Date,
    users: Recipient[],
    plans: Map<number, MailPlan>,
  ): Promise<PlannedMail[]> {
    const recent = await this.dataSource.manager
      .createQueryBuilder(StatusReport, 'r')
      .where('r.reviewState IN (:...states) AND r.authorId IS NOT NULL AND r.reviewedAt >= :since', {
        states: ['returned', 'accepted'],
        since: new Date(now.getTime() - LOOKBACK_DAYS * 86_400_000),
      })
      .orderBy('r.id', 'ASC')
      .getMany();
    if (recent.length === 0) return [];
    const measures = await this.dataSource.manager.find(Measure, {
      where: { id: In([...new Set(recent.map((r) => r.measureId))]) },
    });
    const measureOf = new Map(measures.map((m) => [m.id, m]));
    const byId = new Map(users.map((u) => [u.id, u]));
    const mails: PlannedMail[] = [];
    for (const report of recent) {
      const author = byId.get(report.authorId!);
      const measure = measureOf.get(report.measureId);
      if (!author || !measure) continue;
      const plan = this.planOf(plans, measure.frameworkId);
      const what = `${measure.code} ${measure.title} (${plan.name})`;
      if (report.reviewState === 'returned')
        mails.push(
          this.mail(author, `report:${report.id}:returned`, 'report_returned', {
            subject: `Meldung zurückgegeben: ${measure.code} ${measure.title}${plan.subjectSuffix}`.slice(
              0,
              300,
            ),
            greetingName: author.displayName,
            paragraphs: [
              wordedIn(
                plan.words,
                `Ihre Sachstandsmeldung vom ${germanDay(report.reportedAt)} zur Maßnahme ${what} wurde von der Koordinierungsstelle zurückgegeben.`,
                `Ihre Sachstandsmeldung vom ${germanDay(report.reportedAt)} zu ${plan.words.measure} ${what} wurde von der koordinierenden Stelle des Plans zurückgegeben.`,
              ),
              `Kommentar: ${report.reviewComment || '(ohne Kommentar)'}`,
              'Bitte reichen Sie eine korrigierte Meldung ein.',
            ],
            link: { label: 'Meldung korrigieren', url: `${plan.base}/massnahmen/${measure.id}/meldung` },
          }),
        );
      else
        mails.push(
          this.mail(author, `report:${report.id}:accepted`, 'report_accepted', {
            subject: `Meldung angenommen: ${measure.code} ${measure.title}${plan.subjectSuffix}`.slice(
              0,
              300,
            ),
            greetingName: author.displayName,
            paragraphs: [
              wordedIn(
                plan.words,
                `Ihre Sachstandsmeldung vom ${germanDay(report.reportedAt)} zur Maßnahme ${what} wurde angenommen.`,
                `Ihre Sachstandsmeldung vom ${germanDay(report.reportedAt)} zu ${plan.words.measure} ${what} wurde angenommen.`,
              ),
              ...(report.reviewComment ? [`Kommentar: ${report.reviewComment}`] : []),
            ],
            link: {
              label: wordedIn(plan.words, 'Zur Maßnahme', `Zu ${plan.words.measure} ${measure.code}`),
              url: `${plan.base}/massnahmen/${measure.id}`,
            },
          }),
        );
    }
    return mails;
  }

  /** The responsible department's editors hear when a decision falls due. */
  private async decisionMails(
    today: string,
    plans: Map<number, MailPlan>,
    editorsOf: (plan: MailPlan, departmentId: number) => Recipient[],
  ): Promise<PlannedMail[]> {
    const decisions = await this.dataSource.manager
      .createQueryBuilder(Decision, 'd')
      .where('d.state IN (:...open) AND d.dueDate IS NOT NULL AND d.dueDate BETWEEN :from AND :today', {
        open: OPEN_STATES,
        from: addDays(today, -LOOKBACK_DAYS),
        today,
      })
      .orderBy('d.dueDate', 'ASC')
      .getMany();
    const mails: PlannedMail[] = [];
    for (const decision of decisions) {
      const due = germanDay(decision.dueDate!);
      const text = decision.text.length > 120 ? `${decision.text.slice(0, 117)}…` : decision.text;
      const plan = this.planOf(plans, decision.frameworkId);
      for (const editor of editorsOf(plan, decision.responsibleDepartmentId))
        mails.push(
          this.mail(editor, `decision:${decision.id}:due:${decision.dueDate}`, 'decision_due', {
            subject:
              `Beschluss fällig am ${due}: ${text}`.slice(0, 300 - plan.subjectSuffix.length) +
              plan.subjectSuffix,
            greetingName: editor.displayName,
            paragraphs: [
              `ein Beschluss im Plan „${plan.name}“, ${wordedIn(plan.words, 'für den Ihr Ressort zuständig ist', `für den Sie als ${plan.words.organisation} zuständig sind`)}, ist ${decision.dueDate === today ? 'heute' : `seit dem ${due}`} fällig:`,
              decision.text,
              'Bitte halten Sie den Stand der Umsetzung fest.',
            ],
            link: { label: 'Zu den Beschlüssen', url: `${plan.base}/gremien` },
          }),
        );
    }
    return mails;
  }

  /**
   * The coordinating unit's weekly digest of one plan, to the plan's admins (unless an account switched it off):
   * only that plan's reports, decisions, measures and cycles.
   */
  private async digestMails(
    today: string,
    plan: MailPlan,
    planAdmins: Recipient[],
    departmentName: Map<number, string>,
  ): Promise<PlannedMail[]> {
    const admins = planAdmins.filter((u) => u.digestEmails);
    if (admins.length === 0) return [];
    const waitingOfPlan = () =>
      this.dataSource.manager
        .createQueryBuilder(StatusReport, 'r')
        .innerJoin(Measure, 'm', 'm.id = r.measureId')
        .where('r.reviewState = :submitted AND m.frameworkId = :plan', {
          submitted: 'submitted',
          plan: plan.id,
        });
    const waiting = await waitingOfPlan()
      .orderBy('r.reportedAt', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .take(10)
      .getMany();
    const waitingTotal = await waitingOfPlan().getCount();
    const measures = waiting.length
      ? await this.dataSource.manager.find(Measure, {
          where: { id: In(waiting.map((r) => r.measureId)) },
        })
      : [];
    const measureOf = new Map(measures.map((m) => [m.id, m]));
    const overdue = await this.decisions.listDecisions(
      { overdue: true, pageSize: 10, frameworkId: plan.id },
      today,
    );
    const stale = await this.completeness.stale(today, undefined, 10, plan.id);
    const cycles = await this.dataSource.manager.find(ReportingCycle, {
      where: { state: In(['collecting', 'reviewing']), frameworkId: plan.id },
    });
    const completenessSections: MailSection[] = [];
    for (const cycle of cycles) {
      const rows = (await this.completeness.completeness(cycle)).filter((d) => d.due > 0);
      completenessSections.push({
        heading: `Vollständigkeit ${cycle.name} (Frist ${germanDay(cycle.inputDeadline)})`,
        items: rows.map((d) => ({
          label: `${d.departmentName}: ${d.reported} von ${d.due} gemeldet (${String(d.completeness).replace('.', ',')} %)`,
        })),
      });
    }
    const sections: MailSection[] = [
      {
        heading: `Meldungen, die auf Prüfung warten (${waitingTotal})`,
        empty: 'keine',
        items: waiting.map((r) => {
          const m = measureOf.get(r.measureId);
          return { label: `${m?.code ?? ''} ${m?.title ?? ''} – gemeldet am ${germanDay(r.reportedAt)}` };
        }),
        more: Math.max(0, waitingTotal - waiting.length),
      },
      {
        heading: `Überfällige Beschlüsse (${overdue.total})`,
        empty: 'keine',
        items: overdue.items.map((d) => ({
          label: `${d.text.length > 100 ? `${d.text.slice(0, 97)}…` : d.text}`,
          detail: `fällig ${germanDay(d.dueDate ?? '')}, ${departmentName.get(d.responsibleDepartmentId) ?? ''}`,
        })),
        more: Math.max(0, overdue.total - overdue.items.length),
      },
      {
        heading: `${wordedIn(plan.words, 'Veraltete Maßnahmen', `Veraltete Einträge (${plan.words.measures})`)} (${stale.total}, keine angenommene Meldung seit ${stale.staleAfterDays} Tagen)`,
        empty: 'keine',
        items: stale.items.map((s) => ({ label: `${s.code} ${s.title}` })),
        more: Math.max(0, stale.total - stale.items.length),
      },
      ...completenessSections,
    ];
    const week = isoWeek(today);
    return admins.map((admin) =>
      this.mail(admin, `digest:${week}:plan:${plan.id}`, 'digest', {
        subject: `Wochenübersicht Rahmenkonzept-Monitor (${week.replace('-W', ', KW ')})${plan.subjectSuffix}`,
        greetingName: admin.displayName,
        paragraphs: [
          `hier die Übersicht der Woche für den Plan „${plan.name}“: was auf Prüfung wartet, was überfällig ist und wie vollständig gemeldet wurde.`,
        ],
        sections,
        link: { label: 'Zur Prüfung', url: `${plan.base}/pruefung` },
      }),
    );
  }
}
