// A diagnostic: something the user should read. Collected, never thrown, so every problem is reported at once.

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  /** stable, machine-readable: `undeclared_member`, `schema`, `duplicate_email`, … */
  code: string;
  message: string;
  address?: string;
  file?: string;
  line?: number;
  column?: number;
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}
