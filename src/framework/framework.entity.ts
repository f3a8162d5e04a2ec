import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Rahmenkonzept: the action plan as a whole. One installation runs one framework. */
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

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
