// Where the provision scripts and their test fixtures live. A module of its own: the static checks import it
// without the harness, which needs a Linux userland (test/unit/test-setup/portability.test.ts).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../../..');
export const provisionDir = join(repoRoot, 'scripts/provision');
export const fixturesDir = join(repoRoot, 'test/fixtures/provision');
