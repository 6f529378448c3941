import { redact, ReconcileError } from '../errors.js';
import { visible } from '../render/visible.js';

/**
 * One line for a person; never a stack trace, never a secret. An error message may quote the API (its message,
 * a request id) or the file: control, bidi and invisible characters are made visible, so it stays one line that
 * no value can rewrite.
 */
export function errorText(err: unknown): string {
  if (err instanceof ReconcileError) return visible(err.message);
  if (err instanceof Error) return visible(redact(err.message));
  return visible(redact(String(err)));
}
