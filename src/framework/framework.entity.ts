import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Rahmenkonzept: the action plan as a whole, one plan of the installation; plan-bound records carry its id. */
@Entity('frameworks')
export class Framework {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 60, unique: true })
  code: string;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column({ type: 'varchar', length: 200 })
  region: string;

  /** Adoption date as given in the framework file: YYYY, YYYY-MM or YYYY-MM-DD. */
  @Column({ type: 'varchar', length: 10 })
  adopted: string;

  @Column({ type: 'varchar', length: 40 })
  version: string;

  /** A measure whose latest report is older than this is stale. */
  @Column({ type: 'integer', default: 180 })
  staleAfterDays: number;

  @Column({ type: 'simple-json' })
  targetGroups: string[];

  @Column({ type: 'varchar', length: 500 })
  sourceFile: string;

  /** Chosen at first start: a demo database holds example data and demo accounts, a production one never. */
  @Column({ type: 'boolean', default: false })
  demoMode: boolean;

  /** Whether the measures' budgets (as a published cycle's snapshot holds them) are part of the public data. */
  @Column({ type: 'boolean', default: false })
  publicBudget: boolean;

  /** Optimistic lock of the settings above that an admin changes on the page or by the API. */
  @Column({ type: 'integer', default: 1 })
  settingsVersion: number;

  /** The `version` of the framework file last applied (the label above may have moved since by revisions). */
  @Column({ type: 'varchar', length: 40, nullable: true })
  fileVersion: string | null;

  /** The content of that file, to tell a changed file of the same version from the one applied. */
  @Column({ type: 'simple-json', nullable: true, select: false })
  fileContent?: unknown;

  /** The plan's words for its parts (see PlanVocabulary); null: the Bremen words. */
  @Column({ type: 'simple-json', nullable: true })
  vocabulary: Partial<Record<string, string>> | null;

  /** The levels a measure works on ({ code, name }); null: Bremen's Land and two Stadtgemeinden. */
  @Column({ type: 'simple-json', nullable: true })
  levels: { code: string; name: string }[] | null;

  /** The rule for measure codes (a regular expression matched whole) and its example; null: Bremen's. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  measureCodePattern: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  measureCodeExample: string | null;

  /** Reporting rhythm: a report every so many months (24: every two years), with its label. */
  @Column({ type: 'integer', default: 24 })
  reportingRhythmMonths: number;

  @Column({ type: 'varchar', length: 100, default: 'alle zwei Jahre' })
  reportingRhythmLabel: string;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
