/**
 * The framework's page (/rahmenkonzept): its version, bodies and revision history, and the form for a revision
 * (Fortschreibung) of several changes. The admin adds changes one by one to a list (carried between posts in a
 * hidden field as the API's JSON, validated again on every post), removes any of them, then sees the preview
 * of all together (the same run rolled back, listing every measure, account and body touched) and applies them
 * as one revision, all or nothing. It calls FrameworkRevisionsService with the API's DTO, as the API does.
 */
import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { intervalText } from '../governance/governance.service.js';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles, WebPages } from '../common/auth/access.decorator.js';
import { todayInBremen } from '../common/dates.js';
import { type FieldError, validateDto } from '../common/http/validation.js';
import { DomainError } from '../common/http/domain-errors.js';
import { FrameworkError } from '../framework/framework-errors.js';
import { FrameworkSettingsDto } from '../framework/framework-settings.dto.js';
import { FrameworkService } from '../framework/framework.service.js';
import { authorOf, FrameworkRevisionsService } from '../framework/revisions/framework-revisions.service.js';
import {
  CHANGE_KIND_LABELS,
  CHANGE_KINDS,
  type ChangeKind,
  type RevisionChange,
  RevisionDto,
} from '../framework/revisions/revision-changes.js';
import type { GovernanceBody } from '../governance/governance-body.entity.js';
import { GovernanceService } from '../governance/governance.service.js';
import { formErrors, validateForm } from './form-errors.js';
import { flashKey, formRefusal } from './form-outcome.js';
import { formFieldErrors, isoDate } from './measure-form.js';
import { redirectInPlan } from './plan-address.middleware.js';
import type { PlanVocabulary } from '../framework/plans.service.js';
import { begunInPlanWords, planWord, planWords, wordedIn } from '../framework/request-words.js';
import { WebContext, type WebRequest } from './web-context.js';
import { WebExceptionFilter } from './web-exception.filter.js';

const LABELS: Record<string, string> = {
  effectiveDate: 'Gültig ab',
  reason: 'Begründung',
  versionLabel: 'Versionsbezeichnung nach der Fortschreibung',
  expectedVersion: 'Version, auf der die Fortschreibung vorbereitet wurde',
  kind: 'Art der Änderung',
  code: 'Code',
  codes: 'Zusammengelegte Codes',
  title: 'Titel',
  name: 'Name',
  description: 'Beschreibung',
  parts: 'Neue Einträge',
  measures: 'Zuordnung der Maßnahmen',
  accounts: 'Zuordnung der Konten',
  'meetingsPerYear.min': 'Sitzungen je Jahr, mindestens',
  'meetingsPerYear.max': 'Sitzungen je Jahr, höchstens',
  members: 'Mitglieder',
  gesammelt: 'Gesammelte Änderungen',
};

/** The form's labels in the plan's words (those naming no noun of the plan are Bremen's for every plan). */
function labelsIn(w: PlanVocabulary): Record<string, string> {
  return { ...LABELS, measures: `Zuordnung der ${w.measures}`, body: w.body };
}

/**
 * The form's hints: Bremen's as they were; in a plan with its own words its nouns in brackets or after a
 * preposition that takes any gender, and without Bremen's examples (its codes, the Senat).
 */
function hintsIn(w: PlanVocabulary): Record<string, string> {
  const own = (bremen: string, neutral: string) => wordedIn(w, bremen, neutral);
  return {
    reason: own('zum Beispiel der Senatsbeschluss', 'zum Beispiel der zugrunde liegende Beschluss'),
    kind: own(
      'Nach der Wahl zeigt „Felder für diese Art anzeigen“ die passenden Felder; bei einem Gremium danach das Gremium wählen und erneut anzeigen, dann sind seine jetzigen Angaben eingetragen.',
      `Nach der Wahl zeigt „Felder für diese Art anzeigen“ die passenden Felder; bei einer Änderung (${w.body}) danach den Eintrag wählen und erneut anzeigen, dann sind die jetzigen Angaben eingetragen.`,
    ),
    members: own(
      'eine Zeile je Mitglied: Ressort-Code, Leerzeichen, Funktion, zum Beispiel ZGF Referentin; die bisherigen Mitglieder bleiben mit ihrem Enddatum verzeichnet. Leer lassen, wenn die Mitglieder bleiben.',
      `eine Zeile je Mitglied: Code (${w.organisation}), Leerzeichen, Funktion; die bisherigen Mitglieder bleiben mit ihrem Enddatum verzeichnet. Leer lassen, wenn die Mitglieder bleiben.`,
    ),
    code: own(
      'das Handlungsfeld, Ziel oder Ressort, das sich ändert (bei Zusammenlegung leer)',
      `der Code des Eintrags, der sich ändert: ${w.field}, ${w.goal} oder ${w.organisation} (bei Zusammenlegung leer)`,
    ),
    title: own('neuer Titel eines Ziels oder Handlungsfelds', `neuer Titel (${w.goal} oder ${w.field})`),
    name: own('neuer Name eines Ressorts', `neuer Name (${w.organisation})`),
    codes: own(
      'bei Zusammenlegung: die Codes, durch Komma getrennt, zum Beispiel SKB, UKW',
      'bei Zusammenlegung: die Codes, durch Komma getrennt',
    ),
    measures: own(
      'bei Teilung eine Zeile je aktiver oder eingestellter Maßnahme: Maßnahme → neuer Code des Handlungsfelds oder Ressorts, wahlweise → neuer Code der Maßnahme, zum Beispiel 3.11-01 → 3.16',
      `bei Teilung eine Zeile je ${w.measure} (aktiv oder eingestellt): Code → neuer Code (${w.field} oder ${w.organisation}), wahlweise → neuer Code (${w.measure})`,
    ),
    accounts: own(
      'bei Teilung eines Ressorts eine Zeile je Konto: E-Mail → neuer Ressort-Code',
      `bei Teilung (${w.organisation}) eine Zeile je Konto: E-Mail → neuer Code (${w.organisation})`,
    ),
  };
}

/** A kind of change as the plan calls what it changes ("Ressort geteilt" → "Partnerkommune geteilt"). */
function kindLabel(kind: ChangeKind, w: PlanVocabulary): string {
  return begunInPlanWords(CHANGE_KIND_LABELS[kind], w);
}

/** The kinds the page offers (the others come from framework files or the API). */
const PAGE_KINDS = CHANGE_KINDS.filter((k) => !['set_indicator', 'add_body', 'update_framework'].includes(k));
/** The revision's own fields; `expectedVersion` (the version the form was opened at) travels hidden. */
const HEADER_FIELDS = ['effectiveDate', 'reason', 'versionLabel', 'expectedVersion'] as const;
const DATE_FIELDS = new Set(['effectiveDate']);
/** The fields of the change being typed (emptied once it is added to the list). */
const CHANGE_FIELDS = [
  'kind',
  'code',
  'title',
  'name',
  'description',
  'codes',
  'parts',
  'measures',
  'accounts',
  'meetingsPerYear.min',
  'meetingsPerYear.max',
  'members',
] as const;

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const lines = (value: unknown): string[] =>
  text(value)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
const wholeNumber = (value: string): number | string => (/^\d{1,6}$/.test(value) ? Number(value) : value);

/** The change typed into the form's fields as the API's body; lists one entry a line ("3.15 Kultur", "3.11-01 → 3.16"). */
function changeInput(body: Record<string, unknown>): Record<string, unknown> | null {
  const kind = text(body.kind);
  if (!kind) return null;
  const isDepartment = kind.includes('department');
  const part = (line: string) => {
    const [code, ...rest] = line.split(/\s+/);
    return { code, ...(isDepartment ? { name: rest.join(' ') } : { title: rest.join(' ') }) };
  };
  const change: Record<string, unknown> = { kind };
  for (const key of ['code', 'title', 'name', 'description'] as const)
    if (text(body[key])) change[key] = text(body[key]);
  if (text(body.codes))
    change.codes = text(body.codes)
      .split(/[\s,]+/)
      .filter(Boolean);
  const parts = lines(body.parts).map(part);
  if (kind.startsWith('split') && parts.length) change.parts = parts;
  if (kind.startsWith('merge') && parts.length) change.into = parts[0];
  const arrows = (value: unknown) => lines(value).map((l) => l.split(/\s*(?:→|->)\s*/));
  const measures = arrows(body.measures).map(([measureCode, to, newCode]) => ({
    measureCode,
    ...(to ? { to } : {}),
    ...(newCode ? { newCode } : {}),
  }));
  if (measures.length) change.measures = measures;
  const accounts = arrows(body.accounts).map(([email, to]) => ({ email, to }));
  if (accounts.length) change.accounts = accounts;
  const min = text(body['meetingsPerYear.min']);
  const max = text(body['meetingsPerYear.max']);
  if (min || max)
    change.meetingsPerYear = { min: min ? wholeNumber(min) : undefined, max: max ? wholeNumber(max) : null };
  // A member a line: the department's code, then the function of its representative ("ZGF Referentin").
  const members = lines(body.members).map((line) => {
    const [departmentCode, ...rest] = line.split(/\s+/);
    return { departmentCode, function: rest.join(' ') };
  });
  if (members.length) change.members = members;
  return change;
}

/** The changes collected so far, from the hidden field (JSON as the API takes it); null when unreadable. */
function storedChanges(body: Record<string, unknown>): unknown[] | null {
  const raw = text(body.changes);
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) && parsed.length <= 500 ? parsed : null;
  } catch {
    return null;
  }
}

/** "changes.3.meetingsPerYear.min" → the form field that holds it, when change 3 is the one being typed. */
function formField(error: FieldError, pendingIndex: number): FieldError {
  if (error.field === 'changes')
    return { field: 'kind', messages: ['Fügen Sie mindestens eine Änderung hinzu'] };
  const match = /^changes\.(\d+)\.(.+)$/.exec(error.field);
  if (!match) return error;
  const index = Number(match[1]);
  if (index !== pendingIndex)
    return {
      field: 'gesammelt',
      messages: [`Änderung ${index + 1}, ${match[2]}: ${error.messages.join(', ')}`],
    };
  const path = match[2];
  const field = /^meetingsPerYear\.(min|max)$/.test(path)
    ? path
    : path === 'meetingsPerYear'
      ? 'meetingsPerYear.min'
      : path.replace(/^(into|parts)(\..*)?$/, 'parts').replace(/^([a-zA-Z]+).*$/, '$1');
  return { ...error, field };
}

const TYPE_MESSAGES = ['muss eine ganze Zahl sein', 'muss eine Zahl sein', 'muss ein Text sein'];

/**
 * One message a field, as beside a form field: a value of the wrong type is named as such (the DTO's range
 * checks would otherwise say "darf nicht größer als 366 sein" of "viele").
 */
function oneMessage(errors: FieldError[]): FieldError[] {
  return errors.map((e) => ({
    field: e.field,
    messages: [e.messages.find((m) => TYPE_MESSAGES.includes(m)) ?? e.messages[0]],
  }));
}

/** One line for a collected change: its kind, what it names and what it sets. */
function describeChange(raw: unknown): string {
  const c = (raw && typeof raw === 'object' ? raw : {}) as Partial<RevisionChange>;
  const label = c.kind && c.kind in CHANGE_KIND_LABELS ? kindLabel(c.kind, planWords()) : String(c.kind);
  const quote = (s: string) => `„${s}“`;
  const part = (p: { code?: string; title?: string; name?: string }) =>
    [p.code, (p.title ?? p.name) ? quote(String(p.title ?? p.name)) : ''].filter(Boolean).join(' ');
  const what = [
    c.code ?? (Array.isArray(c.codes) ? c.codes.join(', ') : ''),
    c.title ? quote(c.title) : '',
    c.name ? quote(c.name) : '',
    Array.isArray(c.parts) ? `→ ${c.parts.map(part).join(', ')}` : '',
    c.into ? `→ ${part(c.into)}` : '',
    c.description ? 'neue Beschreibung' : '',
    c.meetingsPerYear ? `${c.meetingsPerYear.min}–${c.meetingsPerYear.max ?? '∞'} Sitzungen je Jahr` : '',
    Array.isArray(c.members)
      ? `Mitglieder: ${c.members.map((m) => `${m.departmentCode} (${m.function})`).join(', ')}`
      : '',
    Array.isArray(c.measures) ? `${c.measures.length} ${planWords().measures} zugeordnet` : '',
    Array.isArray(c.accounts) ? `${c.accounts.length} Konten zugeordnet` : '',
  ].filter(Boolean);
  return `${label} ${what.join(' ')}`.trim();
}

interface Draft {
  header: Record<(typeof HEADER_FIELDS)[number], string>;
  stored: unknown[];
  corrupt: boolean;
}

function draftOf(body: Record<string, unknown>): Draft {
  const stored = storedChanges(body);
  return {
    header: {
      effectiveDate: text(body.effectiveDate),
      reason: text(body.reason),
      versionLabel: text(body.versionLabel),
      expectedVersion: text(body.expectedVersion),
    },
    stored: stored ?? [],
    corrupt: stored === null,
  };
}

const CORRUPT =
  'Die gesammelten Änderungen waren nicht lesbar und wurden verworfen; bitte fügen Sie sie erneut hinzu.';

@ApiExcludeController()
@WebPages()
@UseFilters(WebExceptionFilter)
@Controller('rahmenkonzept')
export class FrameworkPagesController {
  constructor(
    private readonly frameworks: FrameworkService,
    private readonly revisions: FrameworkRevisionsService,
    private readonly governance: GovernanceService,
    private readonly context: WebContext,
  ) {}

  @Get()
  @Roles('admin')
  async page(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const done = flashKey(query, ['fortschreibung'] as const, 'nr');
    let flash: string | undefined;
    // Only a revision of this plan: the address may name any number.
    const revision = done ? await this.revisions.find(done.id) : null;
    if (revision && revision.frameworkId === (await this.frameworks.current()).id) {
      const count = revision.changes.length;
      flash = `Fortschreibung Nr. ${revision.id} mit ${count} ${count === 1 ? 'Änderung' : 'Änderungen'} übernommen.`;
    }
    if (flashKey(query, ['einstellungen'] as const, 'version')) {
      // "der Maßnahmen", "der Projekte": a genitive plural takes the same article for any noun.
      const budget = `das Budget der ${planWords().measures}`;
      flash = (await this.frameworks.current()).publicBudget
        ? `Einstellung gespeichert: ${budget} ist öffentlich.`
        : `Einstellung gespeichert: ${budget} bleibt intern.`;
    }
    await this.render(request, response, { values: {}, stored: [], flash });
  }

  /** The settings form: whether the budget is public, at the settings version the page showed. */
  @Post('einstellungen')
  @Roles('admin')
  async settings(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    // A check box sends "ja" when ticked and nothing otherwise.
    const { value, errors } = await validateForm(
      FrameworkSettingsDto,
      { settingsVersion: body.settingsVersion, publicBudget: body.publicBudget === 'ja' },
      ['settingsVersion'],
    );
    if (errors.length)
      return this.render(request, response, { values: {}, stored: [], settingsErrors: errors, status: 400 });
    try {
      const saved = await this.frameworks.updateSettings(value);
      redirectInPlan(
        request,
        response,
        `/rahmenkonzept?erfolg=einstellungen&version=${saved.settingsVersion}`,
      );
    } catch (error) {
      const refusal = formRefusal(error);
      return this.render(request, response, {
        values: {},
        stored: [],
        settingsErrors: refusal.errors,
        settingsMessage: refusal.message,
        status: refusal.status,
      });
    }
  }

  /**
   * The list of changes: "Änderung hinzufügen" checks the typed change (the DTO, then a rolled-back run of the
   * whole list, so a change the service refuses is named now) and adds it; "Entfernen" takes one out;
   * "Felder für diese Art anzeigen" shows the fields of the chosen kind (a body's current values filled in).
   */
  @Post('aenderungen')
  @Roles('admin')
  async changes(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const draft = draftOf(body);
    if (draft.corrupt)
      return this.render(request, response, { values: body, stored: [], message: CORRUPT, status: 400 });
    const headerOnly = Object.fromEntries(HEADER_FIELDS.map((k) => [k, body[k]]));
    if (body.entfernen !== undefined) {
      const index = Number(body.entfernen);
      if (!Number.isInteger(index) || index < 0 || index >= draft.stored.length)
        return this.render(request, response, { values: body, stored: draft.stored });
      const stored = draft.stored.filter((_, i) => i !== index);
      return this.render(request, response, {
        values: body,
        stored,
        flash: `Änderung ${index + 1} entfernt.`,
      });
    }
    if (body.aktion === 'art')
      return this.render(request, response, {
        values: await this.withBodyValues(body),
        stored: draft.stored,
      });
    if (body.aktion === 'bearbeiten')
      return this.render(request, response, { values: body, stored: draft.stored });

    const pending = changeInput(body) ?? { kind: undefined };
    const index = draft.stored.length;
    // The revision's own fields may still be empty: the list is checked with stand-ins for them.
    const effectiveDate = isoDate(draft.header.effectiveDate);
    const { value, errors } = await validateDto(RevisionDto, {
      effectiveDate: /^\d{4}-\d{2}-\d{2}$/.test(effectiveDate) ? effectiveDate : todayInBremen(),
      reason: 'Prüfung der Änderung',
      versionLabel: 'Prüfung',
      // Checked against the framework as it is now; the version the form was opened at counts at the preview.
      expectedVersion: (await this.frameworks.current()).version,
      changes: [...draft.stored, pending],
    });
    if (errors.length)
      return this.render(request, response, {
        values: body,
        stored: draft.stored,
        errors: oneMessage(errors).map((e) => formField(e, index)),
        status: 400,
      });
    try {
      await this.revisions.run(value, authorOf(request.actor!), { dryRun: true });
    } catch (error) {
      const refusal = formRefusal(error);
      return this.render(request, response, {
        values: body,
        stored: draft.stored,
        errors: refusal.errors.map((e) => formField(e, index)),
        message: refusal.message,
        status: refusal.status,
      });
    }
    const added = JSON.parse(JSON.stringify(value.changes[index])) as unknown;
    return this.render(request, response, {
      values: headerOnly,
      stored: [...draft.stored, added],
      flash: `Änderung ${index + 1} hinzugefügt: ${describeChange(added)}.`,
    });
  }

  @Post('vorschau')
  @Roles('admin')
  async preview(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const checked = await this.revision(request, response, body);
    if (!checked) return;
    try {
      const outcome = await this.revisions.run(checked.value, authorOf(request.actor!), { dryRun: true });
      response.status(200).render(
        'framework-preview',
        await this.context.page(request, 'Vorschau der Fortschreibung', 'framework', {
          outcome,
          hidden: [
            ...HEADER_FIELDS.map((name) => ({ name, value: checked.draft.header[name] })),
            { name: 'changes', value: JSON.stringify(checked.value.changes) },
          ],
        }),
      );
    } catch (error) {
      return this.refused(request, response, body, checked.draft, checked.pendingIndex, error);
    }
  }

  @Post('fortschreibung')
  @Roles('admin')
  async apply(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const checked = await this.revision(request, response, body);
    if (!checked) return;
    try {
      const outcome = await this.revisions.run(checked.value, authorOf(request.actor!), { dryRun: false });
      redirectInPlan(request, response, `/rahmenkonzept?erfolg=fortschreibung&nr=${outcome.revisionId}`);
    } catch (error) {
      return this.refused(request, response, body, checked.draft, checked.pendingIndex, error);
    }
  }

  /**
   * The whole revision from the form, validated with the API's DTO: the collected changes, and the change still
   * in the fields if a kind is chosen. Renders the form with the errors and returns null when it is invalid.
   */
  private async revision(
    request: WebRequest,
    response: Response,
    body: Record<string, unknown>,
  ): Promise<{ value: RevisionDto; draft: Draft; pendingIndex: number } | null> {
    const draft = draftOf(body);
    if (draft.corrupt) {
      await this.render(request, response, { values: body, stored: [], message: CORRUPT, status: 400 });
      return null;
    }
    const pending = changeInput(body);
    const pendingIndex = pending ? draft.stored.length : -1;
    const { value, errors } = await validateDto(RevisionDto, {
      ...draft.header,
      effectiveDate: isoDate(draft.header.effectiveDate),
      changes: pending ? [...draft.stored, pending] : draft.stored,
    });
    if (!errors.length) return { value, draft, pendingIndex };
    await this.render(request, response, {
      values: body,
      stored: draft.stored,
      errors: formFieldErrors(
        oneMessage(errors).map((e) => formField(e, pendingIndex)),
        DATE_FIELDS,
      ),
      status: 400,
    });
    return null;
  }

  private refused(
    request: WebRequest,
    response: Response,
    body: Record<string, unknown>,
    draft: Draft,
    pendingIndex: number,
    error: unknown,
  ): Promise<void> {
    const refusal = formRefusal(error);
    // Revised meanwhile: the form shows the framework as it is now and takes its version, so that the admin
    // checks the collected changes against it and previews them again.
    const stale = error instanceof DomainError && error.code === FrameworkError.VERSION_CHANGED;
    return this.render(request, response, {
      values: stale ? { ...body, expectedVersion: '' } : body,
      stored: draft.stored,
      errors: refusal.errors.map((e) => formField(e, pendingIndex)),
      message: refusal.message,
      status: refusal.status,
    });
  }

  /** For "Gremium geändert" with a body chosen and its fields still empty: the body's name, cadence and members. */
  private async withBodyValues(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (text(body.kind) !== 'update_body') return body;
    const chosen = (await this.governance.bodies()).find((b) => b.code === text(body.code));
    const untouched = ['name', 'meetingsPerYear.min', 'meetingsPerYear.max', 'members'].every(
      (k) => !text(body[k]),
    );
    if (!chosen || !untouched) return body;
    return {
      ...body,
      name: chosen.name,
      'meetingsPerYear.min': String(chosen.minMeetingsPerYear),
      'meetingsPerYear.max': chosen.maxMeetingsPerYear === null ? '' : String(chosen.maxMeetingsPerYear),
      members: chosen.members
        .filter((m) => !m.to)
        .map((m) => `${m.departmentCode} ${m.function}`)
        .join('\n'),
    };
  }

  private async render(
    request: WebRequest,
    response: Response,
    state: {
      values: Record<string, unknown>;
      stored: unknown[];
      errors?: FieldError[];
      message?: string;
      status?: number;
      flash?: string;
      settingsErrors?: FieldError[];
      settingsMessage?: string;
    },
  ): Promise<void> {
    const errors = state.errors ?? [];
    const framework = await this.frameworks.current();
    const bodies = await this.governance.bodies();
    const words = planWords();
    const heading = `${planWord(words)}: ${framework.name}`;
    const values = Object.fromEntries(
      [...HEADER_FIELDS, ...CHANGE_FIELDS].map((k) => [
        k,
        typeof state.values[k] === 'string' ? state.values[k] : '',
      ]),
    );
    // A form opened now is prepared at the version it shows.
    if (!values.expectedVersion) values.expectedVersion = framework.version;
    response.status(state.status ?? 200).render(
      'framework',
      await this.context.page(
        request,
        errors.length || state.message ? `Fehler: ${heading}` : heading,
        'framework',
        {
          heading,
          framework,
          revisions: await this.revisions.list(),
          fields: await this.frameworks.listActionFields(),
          departments: await this.frameworks.listPlanDepartments(),
          bodies: bodies.map((b) => bodyView(b)),
          bodyOptions: bodies.map((b) => ({ value: b.code, label: `${b.name} (${b.code})` })),
          kinds: PAGE_KINDS.map((k) => ({ value: k, label: kindLabel(k, words) })),
          labels: labelsIn(words),
          hints: hintsIn(words),
          values,
          collected: state.stored.map((c, i) => ({ index: i, number: i + 1, text: describeChange(c) })),
          changesJson: JSON.stringify(state.stored),
          message: state.message,
          flash: state.flash,
          settings: {
            message: state.settingsMessage,
            ...formErrors(state.settingsErrors ?? [], {
              publicBudget: `Budget der ${words.measures} veröffentlichen`,
              settingsVersion: 'Version der Einstellungen',
            }),
          },
          ...formErrors(formFieldErrors(errors, DATE_FIELDS), labelsIn(words)),
        },
      ),
    );
  }
}

/** A body as the page lists it: its cadence and its members now. */
function bodyView(body: GovernanceBody): { code: string; name: string; cadence: string; members: string } {
  const members = body.members.filter((m) => !m.to);
  return {
    code: body.code,
    name: body.name,
    cadence:
      body.intervalWeeksMin !== null
        ? intervalText(body.intervalWeeksMin, body.intervalWeeksMax)
        : `${body.minMeetingsPerYear}–${body.maxMeetingsPerYear ?? '∞'} Sitzungen je Jahr`,
    // A member without an organisation is a person by function.
    members: members.length
      ? members.map((m) => (m.departmentCode ? `${m.departmentCode} (${m.function})` : m.function)).join(', ')
      : 'keine festen Mitglieder',
  };
}
