import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Ziel: one of the framework's goals (chapter 2). */
@Entity('goals')
export class Goal {
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
}
