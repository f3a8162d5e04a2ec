import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export interface BodyMember {
  departmentCode: string;
  function: string;
}

/** Gremium: a body that steers the framework, with its cadence (meetings per year). */
@Entity('governance_bodies')
export class GovernanceBody {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 60, unique: true })
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

  @Column({ type: 'simple-json' })
  members: BodyMember[];

  @Column({ type: 'integer', default: 0 })
  sortOrder: number;
}
