// `--report json:PATH|junit:PATH|md:PATH` (repeatable) → what to write where; writing goes through the reporter
// of each kind. Parent folders are created; a file that cannot be written is a usage error naming it.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LabRunResult } from '../lab/results.ts';
import { EXIT, UserError } from '../util/exit-codes.ts';
import { jsonReporter } from './json/json-reporter.ts';
import { junitReporter } from './junit/junit-reporter.ts';
import { markdownReporter } from './markdown/markdown-reporter.ts';
import type { ReportKind, ReportRequest, Reporter } from './types.ts';

const REPORTERS: Record<ReportKind, Reporter> = {
  json: jsonReporter,
  junit: junitReporter,
  md: markdownReporter,
};

export function parseReportRequest(text: string): ReportRequest {
  const colon = text.indexOf(':');
  const kind = colon > 0 ? text.slice(0, colon) : '';
  const path = colon > 0 ? text.slice(colon + 1) : '';
  if (!(kind in REPORTERS) || path === '')
    throw new UserError(
      `--report ${JSON.stringify(text)}: expected KIND:PATH with KIND one of json, junit, md (e.g. --report junit:results.xml)`,
      EXIT.usage,
    );
  return { kind: kind as ReportKind, path };
}

export async function writeReports(
  requests: readonly ReportRequest[],
  result: LabRunResult,
): Promise<string[]> {
  const written: string[] = [];
  for (const request of requests) {
    const text = REPORTERS[request.kind].render(result);
    try {
      await mkdir(dirname(request.path), { recursive: true });
      await writeFile(request.path, text);
    } catch (error) {
      throw new UserError(
        `cannot write the ${request.kind} report to ${request.path}: ${(error as Error).message}`,
        EXIT.usage,
      );
    }
    written.push(`${request.kind} report: ${request.path}`);
  }
  return written;
}
