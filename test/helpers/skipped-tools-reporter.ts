// Ends every run with one short list of the suites skipped for a missing tool (test/helpers/tools.ts) and
// how to install each tool on this kind of machine. Skipping is never silent.
import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { NEEDS_TAG, TOOLS, testPlatform, type Tool } from './tools.ts';

const isTool = (name: string): name is Tool => Object.hasOwn(TOOLS, name);

export function skippedSummary(
  skipped: readonly { file: string; fullName: string }[],
  platform: NodeJS.Platform = testPlatform(),
): string {
  const byTools = new Map<string, { tests: number; files: Set<string>; tools: Tool[] }>();
  for (const test of skipped) {
    const tools = (NEEDS_TAG.exec(test.fullName)?.[1] ?? '').split(', ').filter(isTool);
    if (tools.length === 0) continue;
    const key = tools.join(', ');
    const entry = byTools.get(key) ?? { tests: 0, files: new Set<string>(), tools };
    entry.tests += 1;
    entry.files.add(test.file);
    byTools.set(key, entry);
  }
  if (byTools.size === 0) return '';
  const os = platform === 'darwin' ? 'macos' : platform === 'win32' ? 'windows' : 'debian';
  const tools = [...new Set([...byTools.values()].flatMap((e) => e.tools))];
  const lines = [`Skipped because a tool is missing (CI sets LABKIT_REQUIRE_ALL=1 and skips nothing):`];
  for (const [key, e] of byTools)
    lines.push(
      `  needs ${key}: ${e.tests} test${e.tests === 1 ? '' : 's'} in ${[...e.files].sort().join(', ')}`,
    );
  lines.push('To run them, install:');
  for (const tool of tools) lines.push(`  ${tool}: ${TOOLS[tool].install[os]}  — ${TOOLS[tool].why}`);
  return lines.join('\n');
}

export default class SkippedToolsReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    const skipped = testModules.flatMap((m) =>
      [...m.children.allTests('skipped')].map((t) => ({
        file: relative(process.cwd(), m.moduleId),
        fullName: t.fullName,
      })),
    );
    const text = skippedSummary(skipped);
    if (text) process.stdout.write(`\n${text}\n`);
  }
}
