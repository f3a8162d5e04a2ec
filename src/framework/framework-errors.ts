/** The codes of the framework's (Rahmenkonzept) refusals (`FRAMEWORK.…`). */
export enum FrameworkError {
  NOT_LOADED = 'FRAMEWORK.NOT_LOADED',
  /** No plan (Rahmenkonzept) with the id asked for. */
  NOT_FOUND = 'FRAMEWORK.NOT_FOUND',
  /** The installation runs several plans and the request did not say which one (frameworkId). */
  PLAN_REQUIRED = 'FRAMEWORK.PLAN_REQUIRED',
  /** A revision's change is incomplete or names what does not exist. */
  REVISION_INVALID = 'FRAMEWORK.REVISION_INVALID',
  /** A field cannot be retired while measures that count in its figures (active, discontinued) belong to it. */
  FIELD_HAS_ACTIVE_MEASURES = 'FRAMEWORK.FIELD_HAS_ACTIVE_MEASURES',
  /** A department cannot be retired while it leads measures that count (active, discontinued) or has accounts. */
  DEPARTMENT_IN_USE = 'FRAMEWORK.DEPARTMENT_IN_USE',
  /** A measure's new code is taken. */
  MEASURE_CODE_TAKEN = 'FRAMEWORK.MEASURE_CODE_TAKEN',
  REVISION_NOT_FOUND = 'FRAMEWORK.REVISION_NOT_FOUND',
  /** The framework was revised since the version the revision was prepared (previewed) at. */
  VERSION_CHANGED = 'FRAMEWORK.VERSION_CHANGED',
  /** The settings (e.g. publicBudget) were changed since they were read. */
  SETTINGS_STALE = 'FRAMEWORK.SETTINGS_STALE',
}
