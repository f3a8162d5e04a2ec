import { Column, Entity, ForeignKey, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Framework } from '../framework/framework.entity.js';

/**
 * A member of a body: an organisation with the function of its representative, or (without departmentCode) a
 * person by function alone. `from`/`to` (JJJJ-MM-TT) bound the
 * membership when a revision changed the body's composition; a member without them is one from the start.
 */
export interface BodyMember {
  departmentCode?: string | null;
  function: string;
  from?: string | null;
  to?: string | null;
}

/** The members of a body on a day (a meeting's date): those whose membership includes that day. */
export function membersOn(members: BodyMember[], day: string): BodyMember[] {
  return members.filter((m) => (!m.from || m.from <= day) && (!m.to || m.to >= day));
}

/** Gremium: a body that steers the plan, with its cadence (meetings per year or an interval in weeks). */
@Entity('governance_bodies')
@Unique(['frameworkId', 'code'])
export class GovernanceBody {
  @PrimaryGeneratedColumn()
  id: number;

  /** The plan (Rahmenkonzept) this record belongs to. */
  @Column({ type: 'integer' })
  @ForeignKey(() => Framework, { onDelete: 'RESTRICT' })
  frameworkId: number;

  @Column({ type: 'varchar', length: 60 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'integer', default: 0 })
  minMeetingsPerYear: number;

  /** null: no upper bound (e.g. ongoing participation formats). */
  @Column({ type: 'integer', nullable: true })
  maxMeetingsPerYear: number | null;

  /** Cadence as an interval in weeks between meetings instead of meetings per year (both null: per year). */
  @Column({ type: 'integer', nullable: true })
  intervalWeeksMin: number | null;

  @Column({ type: 'integer', nullable: true })
  intervalWeeksMax: number | null;

  @Column({ type: 'simple-json' })
  members: BodyMember[];

  /** The participation formats its meetings may be (Workshop, Webinar …); null or empty: plain meetings. */
  @Column({ type: 'simple-json', nullable: true })
  participationFormats: string[] | null;

  @Column({ type: 'integer', default: 0 })
  sortOrder: number;
}
