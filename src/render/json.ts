// The plan as one JSON value (`plan --format json`, saved plans). The value is the Plan itself: renderers and
// `apply` read nothing else. Its schema is schemas/plan.schema.json.

import type { Plan } from '../model/plan.js';

export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
