import { Column, Entity, ForeignKey, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Framework } from './framework.entity.js';

/** Handlungsfeld: one of the framework's fields of action (chapter 3). */
@Entity('action_fields')
@Unique(['frameworkId', 'code'])
export class ActionField {
  @PrimaryGeneratedColumn()
  id: number;

  /** The plan (Rahmenkonzept) this record belongs to. */
  @Column({ type: 'integer' })
  @ForeignKey(() => Framework, { onDelete: 'RESTRICT' })
  frameworkId: number;

  @Column({ type: 'varchar', length: 20 })
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
