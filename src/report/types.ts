// Reporters turn a finished lab run (src/lab/results.ts) into a file: one folder per format, one interface.
import type { LabRunResult } from '../lab/results.ts';

export type ReportKind = 'json' | 'junit' | 'md';

export interface Reporter {
  readonly kind: ReportKind;
  /** The whole file's text for one run. */
  render(result: LabRunResult): string;
}

export interface ReportRequest {
  readonly kind: ReportKind;
  readonly path: string;
}
