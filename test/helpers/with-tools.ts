// Suites that need external tools (test/helpers/tools.ts): skipped and tagged when one is missing, a failing
// test under LABKIT_REQUIRE_ALL=1.
import { describe, it } from 'vitest';
import { REQUIRE_ALL_VAR, TOOLS, missingTools, needsTag, requireAll, type Tool } from './tools.ts';

/** `describe(title, fn)` when every tool is there. Otherwise every test of the suite is skipped under a
 *  title tagged `[needs ...]`, or, under LABKIT_REQUIRE_ALL=1, the suite is one failing test naming them. */
export function describeWithTools(tools: readonly Tool[], title: string, fn: () => void): void {
  const missing = missingTools(tools);
  if (missing.length === 0) {
    describe(title, fn);
    return;
  }
  if (requireAll()) {
    describe(title, () => {
      it(`has ${missing.join(', ')} installed (${REQUIRE_ALL_VAR}=1 allows no skip)`, () => {
        throw new Error(
          `missing ${missing.join(', ')}: ${missing.map((t) => TOOLS[t].install.debian).join('; ')}`,
        );
      });
    });
    return;
  }
  describe.skip(`${title} ${needsTag(missing)}`, fn);
}
