import { Column, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Measure } from '../measures/measure.entity.js';
import { Department } from './department.entity.js';
import { Framework } from './framework.entity.js';

/** An area of a plan that measures may name (e.g. a Bezirksregion), optionally within one of its levels. */
@Entity('areas')
@Unique(['frameworkId', 'code'])
export class Area {
  @PrimaryGeneratedColumn()
  id: number;

  /** The plan this area belongs to. */
  @Column({ type: 'integer' })
  @ForeignKey(() => Framework, { onDelete: 'RESTRICT' })
  frameworkId: number;

  @Column({ type: 'varchar', length: 30 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** The code of the plan's level it lies in (see Framework.levels); null: not bound to a level. */
  @Column({ type: 'varchar', length: 30, nullable: true })
  levelCode: string | null;

  @Column({ type: 'integer', default: 0 })
  sortOrder: number;
}

/** A measure names the areas it works in. */
@Entity('measure_areas')
@Index('IDX_measure_areas_area', ['areaId'])
export class MeasureArea {
  @PrimaryColumn({ type: 'integer' })
  @ForeignKey(() => Measure, { onDelete: 'CASCADE' })
  measureId: number;

  @PrimaryColumn({ type: 'integer' })
  @ForeignKey(() => Area, { onDelete: 'RESTRICT' })
  areaId: number;
}

/** The organisations taking part in a plan, out of the installation's one directory. */
@Entity('framework_departments')
@Index('IDX_framework_departments_department', ['departmentId'])
export class FrameworkDepartment {
  @PrimaryColumn({ type: 'integer' })
  @ForeignKey(() => Framework, { onDelete: 'CASCADE' })
  frameworkId: number;

  @PrimaryColumn({ type: 'integer' })
  @ForeignKey(() => Department, { onDelete: 'RESTRICT' })
  departmentId: number;

  @Column({ type: 'integer', default: 0 })
  sortOrder: number;
}
