/**
 * The roles as a plan's pages name them: Bremen's labels (`ROLE_LABELS`) while the plan speaks Bremen's words,
 * else the editor's role named by the plan's word for an organisation ("Partnerkommune (Bearbeitung)").
 */
import { speaksBremen } from '../framework/request-words.js';
import type { PlanVocabulary } from '../framework/plans.service.js';
import { ROLE_LABELS, type Role } from './user.entity.js';

export function roleLabelsIn(words: PlanVocabulary): Record<Role, string> {
  if (speaksBremen(words)) return ROLE_LABELS;
  return {
    admin: 'Koordinierende Stelle (Administration)',
    editor: `${words.organisation} (Bearbeitung)`,
    viewer: ROLE_LABELS.viewer,
  };
}
