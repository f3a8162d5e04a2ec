import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** senate: a Senate department; municipal: a (partner) municipality; partner: another partner; office: an office of an administration. */
export const DEPARTMENT_KINDS = ['senate', 'other', 'municipal', 'partner', 'office'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

/**
 * Organisation (the Bremen plan's Ressort): a Senate department, a partner municipality, an office or another
 * responsible body. One directory shared by the installation's plans; a plan names those taking part in
 * `framework_departments`.
 */
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
