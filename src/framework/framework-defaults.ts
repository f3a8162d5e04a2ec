/** Groups an indicator's values may be given for, unless the framework file says otherwise. */
export const DEFAULT_INDICATOR_GROUPS = ['gesamt', 'mit Migrationshintergrund', 'ohne Migrationshintergrund'];
