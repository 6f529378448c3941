// The plan as one JSON value (`plan --format json`, saved plans). The value is the Plan itself: renderers and
// `apply` read nothing else. Its schema is schemas/plan.schema.json.

import type { Plan } from '../model/plan.js';
import { safeJson } from './visible.js';

/** C1, bidi and invisible characters in values are written as `\uXXXX` escapes (visible.ts); the value is the same. */
export function renderPlanJson(plan: Plan): string {
  return `${safeJson(plan)}\n`;
}
