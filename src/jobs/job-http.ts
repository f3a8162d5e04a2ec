/**
 * Work queued as a job, in HTTP terms (RFC 7240): a request that prefers `respond-async` is answered 202 with
 * the job, its address in `Location` and `Preference-Applied: respond-async`.
 */
import type { Response } from 'express';
import type { Job } from './job.entity.js';
import { type JobView, toJobView } from './jobs.service.js';

/** True for a request that asks for the answer later (`Prefer: respond-async`): the work becomes a job. */
export function prefersAsync(prefer: string | undefined): boolean {
  return (prefer ?? '')
    .split(',')
    .some((preference) => preference.split(';')[0].trim().toLowerCase() === 'respond-async');
}

/** Sets the 202 answer for a queued job and returns its body. */
export function acceptedJob(response: Response, job: Job): JobView {
  response.status(202).setHeader('Location', `/api/jobs/${job.id}`);
  response.setHeader('Preference-Applied', 'respond-async');
  return toJobView(job);
}
