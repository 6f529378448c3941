import { redact, ReconcileError } from '../errors.js';

/** One line for a person; never a stack trace, never a secret. */
export function errorText(err: unknown): string {
  if (err instanceof ReconcileError) return err.message;
  if (err instanceof Error) return redact(err.message);
  return redact(String(err));
}
