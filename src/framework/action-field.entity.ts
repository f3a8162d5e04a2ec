import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Handlungsfeld: one of the framework's fields of action (chapter 3). */
@Entity('action_fields')
export class ActionField {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 20, unique: true })
  code: string;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'integer', default: 0 })
  sortOrder: number;

  /** Set by the revision that retired, split or merged it away; kept so that closed cycles still name it. */
  @Column({ type: 'date', nullable: true })
  retiredOn: string | null;
}
