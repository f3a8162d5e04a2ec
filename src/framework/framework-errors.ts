/** The codes of the framework's (Rahmenkonzept) refusals (`FRAMEWORK.…`). */
export enum FrameworkError {
  NOT_LOADED = 'FRAMEWORK.NOT_LOADED',
}
