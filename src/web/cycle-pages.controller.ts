/**
 * Reporting-cycle pages (Berichtszyklen): the list with each state change as a button named for what it does,
 * a confirmation page for every change that says what follows, and the forms to create and edit a cycle. They
 * call ReportingCyclesService exactly as the API controller does, with the API's DTOs.
 */
import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AnyRole, Roles, WebPages } from '../common/auth/access.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import type { FieldError } from '../common/http/validation.js';
import { ReportBuilderService } from '../excel/report/report-builder.service.js';
import { CreateCycleDto, TransitionCycleDto, UpdateCycleDto } from '../reporting/dto/cycle.dto.js';
import type { CycleState } from '../reporting/reporting-cycle.entity.js';
import { type CycleView, ReportingCyclesService } from '../reporting/reporting-cycles.service.js';
import { formErrors, validateForm } from './form-errors.js';
import { flashKey, formRefusal } from './form-outcome.js';
import { dativePlural, germanDate } from './format.js';
import { coordinator, planWords, wordedIn } from '../framework/request-words.js';
import type { PlanVocabulary } from '../framework/plans.service.js';
import { redirectInPlan } from './plan-address.middleware.js';
import { FrameworkService } from '../framework/framework.service.js';
import { nextCycle } from '../reporting/cycle-rules.js';
import { todayInBremen } from '../common/dates.js';
import { WebContext, type WebRequest } from './web-context.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { PlanOf } from '../common/auth/plan-of.decorator.js';
import { ReportingCycle } from '../reporting/reporting-cycle.entity.js';

const CYCLE_LABELS: Record<string, string> = {
  code: 'Kennung',
  name: 'Name',
  periodStart: 'Beginn des Zeitraums',
  periodEnd: 'Ende des Zeitraums',
  inputDeadline: 'Meldeschluss',
  publicationTarget: 'Veröffentlichung geplant bis',
  version: 'Version',
  reason: 'Begründung',
  confirmed: 'Bestätigung',
  to: 'Zielzustand',
  publicReportTexts: 'Hindernisse und nächste Schritte veröffentlichen',
};

interface TransitionText {
  /** The button's name: what it does. */
  label: string;
  /** What follows, shown on the confirmation page, in the words of the cycle's plan. */
  consequences: (cycle: CycleView, words: PlanVocabulary) => string[];
  /** Whether "Ich habe verstanden" must be ticked (the step cannot simply be undone). */
  confirm: boolean;
  /** Whether a reason is asked for (the moves back: reopening a closed cycle, taking back a publication). */
  reason: boolean;
  /** Whether the admin may publish the accepted reports' obstacles and next steps (publishing). */
  reportTexts?: boolean;
}

/** The state changes the page offers, keyed by "from>to" (reviewing is reached from collecting and closed). */
const TRANSITIONS: Record<string, TransitionText> = {
  'planned>collecting': {
    label: 'Erfassung starten',
    consequences: (c, w) => [
      `Die ${w.organisations} können ab jetzt Sachstände für diesen Zeitraum melden, im Formular oder mit der Erfassungsvorlage.`,
      `Meldeschluss ist der ${germanDate(c.inputDeadline)}; bis dahin zeigen Übersicht und Erinnerungsliste, was noch fehlt.`,
    ],
    confirm: false,
    reason: false,
  },
  'collecting>reviewing': {
    label: 'Prüfung beginnen',
    consequences: () => [
      `Die Erfassung endet: ${coordinator()} prüft die eingegangenen Meldungen auf der Seite „Prüfung“.`,
      'Abschließen lässt sich der Zyklus erst, wenn alle Meldungen im Zeitraum angenommen oder zurückgegeben sind.',
    ],
    confirm: false,
    reason: false,
  },
  'reviewing>closed': {
    label: 'Abschließen und Stand einfrieren',
    consequences: (_c, w) => [
      wordedIn(
        w,
        'Der Stand jeder Maßnahme wird eingefroren: ihre letzte angenommene Meldung im Zeitraum, sonst „keine Meldung“.',
        `Der Stand aller ${w.measures} wird eingefroren: je ${w.measure} die letzte angenommene Meldung im Zeitraum, sonst „keine Meldung“.`,
      ),
      wordedIn(
        w,
        'Der Umsetzungsbericht wird danach immer aus diesem eingefrorenen Stand erzeugt; spätere Meldungen und Änderungen ändern ihn nicht.',
        `${w.reports} dieses Zyklus werden danach immer aus diesem eingefrorenen Stand erzeugt; spätere Meldungen und Änderungen ändern sie nicht.`,
      ),
      'Der Zyklus kann danach nicht mehr bearbeitet werden. Wieder öffnen geht nur mit Begründung und wird protokolliert.',
    ],
    confirm: true,
    reason: false,
  },
  'closed>published': {
    label: 'Veröffentlichen',
    consequences: (_c, w) => [
      `Der eingefrorene Stand dieses Zyklus erscheint ohne Anmeldung in den öffentlichen Seiten und als offene Daten (CSV, JSON): Code, Titel, Beschreibung, ${w.field}, ${w.goals}, ${w.organisations}, Ebene, Status, Fortschritt, Zeitraum und Sachstand.`,
      'Hindernisse und nächste Schritte bleiben intern, es sei denn, Sie wählen unten, sie mit zu veröffentlichen. Prüfkommentare, Autorinnen und Autoren sowie nicht angenommene Meldungen werden nie veröffentlicht.',
      'Der Zyklus kann danach nicht mehr geändert werden. Die Veröffentlichung lässt sich nur mit Begründung zurücknehmen; das wird protokolliert.',
    ],
    confirm: true,
    reason: false,
    reportTexts: true,
  },
  'published>closed': {
    label: 'Veröffentlichung zurücknehmen',
    consequences: () => [
      'Die öffentlichen Seiten und Dateien dieses Zyklus sind danach nicht mehr erreichbar (nicht gefunden).',
      'Der Zyklus bleibt abgeschlossen mit seinem eingefrorenen Stand; Meldungen für den Zeitraum bleiben ausgeschlossen.',
      'Er kann später erneut veröffentlicht werden. Die Begründung wird beim Zyklus und im Protokoll festgehalten.',
    ],
    confirm: false,
    reason: true,
  },
  'closed>reviewing': {
    label: 'Wieder öffnen',
    consequences: () => [
      'Der Zyklus geht zurück in die Prüfung; Meldungen können nachgetragen und geprüft werden.',
      'Der bisher eingefrorene Stand gilt, bis der Zyklus erneut abgeschlossen wird; dann ersetzt ihn ein neuer.',
      'Die Begründung wird beim Zyklus und im Protokoll festgehalten.',
    ],
    confirm: false,
    reason: true,
  },
};

const FLASH_KEYS = [
  'angelegt',
  'gespeichert',
  'erfassung',
  'pruefung',
  'abgeschlossen',
  'veroeffentlicht',
  'wiedergeoeffnet',
  'zurueckgenommen',
] as const;
type CycleFlash = (typeof FLASH_KEYS)[number];

/** The flash key after a state change, keyed like TRANSITIONS. */
const TRANSITION_FLASH: Record<string, CycleFlash> = {
  'planned>collecting': 'erfassung',
  'collecting>reviewing': 'pruefung',
  'reviewing>closed': 'abgeschlossen',
  'closed>published': 'veroeffentlicht',
  'closed>reviewing': 'wiedergeoeffnet',
  'published>closed': 'zurueckgenommen',
};

const transitionKey = (from: CycleState, to: CycleState): string => `${from}>${to}`;

@ApiExcludeController()
@WebPages()
@UseFilters(WebExceptionFilter)
@Controller('berichtszyklen')
export class CyclePagesController {
  constructor(
    private readonly cycles: ReportingCyclesService,
    private readonly reportBuilder: ReportBuilderService,
    private readonly context: WebContext,
    private readonly frameworks: FrameworkService,
  ) {}

  @Get()
  @AnyRole()
  async list(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const cycles = await this.cycles.list();
    const transitionLabels = Object.fromEntries(
      Object.entries(TRANSITIONS).map(([key, text]) => [key, text.label]),
    );
    response.render(
      'cycles',
      await this.context.page(request, 'Berichtszyklen', 'cycles', {
        cycles,
        reports: await this.reportBuilder.list(),
        isAdmin: request.actor?.role === 'admin',
        transitionLabels,
        flash: await this.flash(query),
      }),
    );
  }

  @Get('neu')
  @Roles('admin')
  async newForm(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    // Proposed: the period after the plan's latest cycle, as long as its reporting rhythm says.
    const framework = await this.frameworks.current();
    const latest = (await this.cycles.list(framework.id)).at(-1);
    const next = nextCycle(latest?.periodEnd ?? null, framework.reportingRhythmMonths, todayInBremen());
    await this.renderForm(request, response, null, { ...next }, []);
  }

  @Post()
  @Roles('admin')
  async create(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const { value, errors } = await validateForm(CreateCycleDto, body);
    if (errors.length) return this.renderForm(request, response, null, body, errors, undefined, 400);
    let created: CycleView;
    try {
      created = await this.cycles.create(value);
    } catch (error) {
      const refusal = formRefusal(error);
      return this.renderForm(request, response, null, body, refusal.errors, refusal.message, refusal.status);
    }
    redirectInPlan(request, response, `/berichtszyklen?erfolg=angelegt&zyklus=${created.id}`);
  }

  @Get(':id/bearbeiten')
  @PlanOf(ReportingCycle, { param: 'id' })
  @Roles('admin')
  async editForm(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const cycle = await this.cycles.get(id);
    await this.renderForm(request, response, cycle, { ...cycle }, []);
  }

  @Post(':id/bearbeiten')
  @PlanOf(ReportingCycle, { param: 'id' })
  @Roles('admin')
  async update(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const cycle = await this.cycles.get(id);
    const { value, errors } = await validateForm(UpdateCycleDto, body, ['version']);
    if (errors.length) return this.renderForm(request, response, cycle, body, errors, undefined, 400);
    // An emptied optional date clears it (a form cannot send null).
    if (body.publicationTarget === '') value.publicationTarget = null;
    try {
      await this.cycles.update(id, value);
    } catch (error) {
      const refusal = formRefusal(error);
      return this.renderForm(request, response, cycle, body, refusal.errors, refusal.message, refusal.status);
    }
    redirectInPlan(request, response, `/berichtszyklen?erfolg=gespeichert&zyklus=${id}`);
  }

  @Get(':id/uebergang')
  @PlanOf(ReportingCycle, { param: 'id' })
  @Roles('admin')
  async confirmation(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
    @Query('nach') to: string,
  ): Promise<void> {
    const cycle = await this.cycles.get(id);
    await this.renderTransition(request, response, cycle, String(to), {}, []);
  }

  @Post(':id/uebergang')
  @PlanOf(ReportingCycle, { param: 'id' })
  @Roles('admin')
  async transition(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('id', IdPipe) id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const cycle = await this.cycles.get(id);
    const { confirmed, publicReportTexts, ...fields } = body;
    const to = String(body.to) as CycleState;
    const key = transitionKey(cycle.state, to);
    // A check box sends "ja" when ticked and nothing otherwise.
    if (publicReportTexts === 'ja') fields.publicReportTexts = true;
    const { value, errors } = await validateForm(TransitionCycleDto, fields, ['version']);
    if (!errors.length && TRANSITIONS[key]?.confirm && confirmed !== 'ja') {
      errors.push({
        field: 'confirmed',
        messages: ['Bitte bestätigen Sie mit „Ich habe verstanden“, dass Sie wissen, was folgt.'],
      });
    }
    if (errors.length)
      return this.renderTransition(request, response, cycle, to, body, errors, undefined, 400);
    try {
      await this.cycles.transition(id, value.to, value.version, request.actor!, value.reason, {
        publicReportTexts: value.publicReportTexts,
      });
    } catch (error) {
      const refusal = formRefusal(error);
      return this.renderTransition(
        request,
        response,
        await this.cycles.get(id),
        to,
        body,
        refusal.errors,
        refusal.message,
        refusal.status,
      );
    }
    redirectInPlan(request, response, `/berichtszyklen?erfolg=${TRANSITION_FLASH[key]}&zyklus=${id}`);
  }

  private async flash(query: Record<string, unknown>): Promise<string | undefined> {
    // A report built as PDF or DOCX on this page (the workbook downloads at once).
    const built = flashKey(query, ['bericht'] as const, 'bericht');
    if (built) {
      const found = await this.reportBuilder.find(built.id);
      return found
        ? `${planWords().report} ${found.report.cycleCode} als ${found.report.format.toUpperCase()} erzeugt: ${found.report.fileName}`
        : undefined;
    }
    const flash = flashKey(query, FLASH_KEYS, 'zyklus');
    if (!flash) return undefined;
    const cycle = await this.cycles.get(flash.id).catch(() => null);
    if (!cycle) return undefined;
    const code = cycle.code;
    switch (flash.key) {
      case 'angelegt':
        return `Berichtszyklus ${code} angelegt`;
      case 'gespeichert':
        return `Berichtszyklus ${code} gespeichert`;
      case 'erfassung':
        return `Erfassung für ${code} gestartet`;
      case 'pruefung':
        return `Prüfung für ${code} begonnen`;
      case 'abgeschlossen': {
        const snapshot = await this.cycles.currentSnapshot(cycle.id);
        const measures = dativePlural(planWords().measures);
        return `Berichtszyklus ${code} abgeschlossen, Stand von ${snapshot?.measureCount ?? 0} ${measures} eingefroren`;
      }
      case 'veroeffentlicht':
        return cycle.publicReportTexts
          ? `Berichtszyklus ${code} veröffentlicht, mit Hindernissen und nächsten Schritten der angenommenen Meldungen`
          : `Berichtszyklus ${code} veröffentlicht`;
      case 'wiedergeoeffnet':
        return `Berichtszyklus ${code} wieder geöffnet`;
      case 'zurueckgenommen':
        return `Veröffentlichung von ${code} zurückgenommen; die öffentlichen Seiten und Dateien sind entfernt`;
    }
  }

  private async renderForm(
    request: WebRequest,
    response: Response,
    cycle: CycleView | null,
    values: Record<string, unknown>,
    errors: FieldError[],
    message?: string,
    status = 200,
  ): Promise<void> {
    const heading = cycle ? `Berichtszyklus ${cycle.code} bearbeiten` : 'Neuer Berichtszyklus';
    response.status(status).render(
      'cycle-form',
      await this.context.page(request, errors.length || message ? `Fehler: ${heading}` : heading, 'cycles', {
        heading,
        cycle,
        values,
        message,
        ...formErrors(errors, CYCLE_LABELS),
      }),
    );
  }

  private async renderTransition(
    request: WebRequest,
    response: Response,
    cycle: CycleView,
    to: string,
    values: Record<string, unknown>,
    errors: FieldError[],
    message?: string,
    status = 200,
  ): Promise<void> {
    const key = transitionKey(cycle.state, to as CycleState);
    const text = cycle.allowedTransitions.includes(to as CycleState) ? TRANSITIONS[key] : undefined;
    const heading = text ? `${text.label}: ${cycle.code}` : `Berichtszyklus ${cycle.code}`;
    response.status(text || status !== 200 ? status : 409).render(
      'cycle-transition',
      await this.context.page(request, errors.length || message ? `Fehler: ${heading}` : heading, 'cycles', {
        heading,
        cycle,
        to,
        text,
        consequences: text?.consequences(cycle, planWords()) ?? [],
        values,
        message:
          message ??
          (text
            ? undefined
            : `Der Berichtszyklus ${cycle.code} ist „${cycle.stateLabel}“; dieser Schritt ist jetzt nicht möglich.`),
        ...formErrors(errors, CYCLE_LABELS),
      }),
    );
  }
}
