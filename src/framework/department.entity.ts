import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const DEPARTMENT_KINDS = ['senate', 'other'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

/** Ressort: a Senate department or another responsible body (ZGF, Magistrat Bremerhaven). */
@Entity('departments')
export class Department {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 20, unique: true })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'varchar', length: 10, default: 'senate' })
  kind: DepartmentKind;

  @Column({ type: 'integer', default: 0 })
  sortOrder: number;

  /** Set by the revision that retired, split or merged it away; kept so that closed cycles still name it. */
  @Column({ type: 'date', nullable: true })
  retiredOn: string | null;
}
