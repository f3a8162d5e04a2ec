/** The codes of a department's (Ressort) refusals (`DEPARTMENT.…`). */
export enum DepartmentError {
  NOT_FOUND = 'DEPARTMENT.NOT_FOUND',
  OUT_OF_SCOPE = 'DEPARTMENT.OUT_OF_SCOPE',
}
