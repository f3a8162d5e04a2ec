import { Entity, Index, PrimaryColumn } from 'typeorm';

/** A snapshot item's goals, as a table so that the dashboard can count a closed cycle by goal in SQL. */
@Entity('cycle_snapshot_item_goals')
@Index(['goalId'])
export class CycleSnapshotItemGoal {
  @PrimaryColumn({ type: 'integer' })
  itemId: number;

  @PrimaryColumn({ type: 'integer' })
  goalId: number;
}
