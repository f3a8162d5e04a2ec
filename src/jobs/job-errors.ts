/** The codes of a job's refusals (`JOB.…`): looking one up, and a job that cannot be queued. */
export enum JobError {
  NOT_FOUND = 'JOB.NOT_FOUND',
}
