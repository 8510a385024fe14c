import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { toolPath } from '../../helpers/tools.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';
import { provisionScript, type ProvisionScript } from '../../../src/provision/script.ts';
import { provisionDir } from './paths.ts';

const files = readdirSync(provisionDir).filter((f) => f.endsWith('.sh'));
const scripts = files.filter((f) => f !== 'lib.sh');

describeWithTools(['bash'], 'provision scripts, static', () => {
  it('are the four expected scripts and their shared lib.sh', () => {
    expect(files.sort()).toEqual(['common.sh', 'lib.sh', 'master.sh', 'metallb.sh', 'worker.sh']);
  });

  it.each(scripts)('%s starts with strict mode and parses', (s) => {
    const text = readFileSync(join(provisionDir, s), 'utf8');
    expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(text).toMatch(/^set -euo pipefail$/m);
    expect(text).not.toMatch(/^\s*set -[a-z]*x/m);
    const r = spawnSync(toolPath('bash'), ['-n', join(provisionDir, s)], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
  });

  it.each(scripts)('%s loads lib.sh only when its helpers are not already defined', (s) => {
    const text = readFileSync(join(provisionDir, s), 'utf8');
    expect(text).toContain(
      'if ! declare -F write_file >/dev/null; then\n  # shellcheck source=lib.sh\n  source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"\nfi\n',
    );
  });

  it.each(scripts)('lib.sh + %s, as sent to a VM, is one valid script', async (s) => {
    const name = s.replace('.sh', '') as ProvisionScript;
    const text = await provisionScript(join(provisionDir, '..', '..'), name);
    expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    const r = spawnSync(toolPath('bash'), ['-n'], { input: text, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('never install or call Docker', () => {
    for (const s of scripts) {
      const text = readFileSync(join(provisionDir, s), 'utf8');
      expect(text).not.toMatch(/apt-get install[^\n]*docker/);
      expect(text).not.toMatch(/get\.docker\.com|docker-ce=|containerd\.io/);
    }
  });
});

describeWithTools(['shellcheck'], 'provision scripts, shellcheck', () => {
  it('are shellcheck-clean', () => {
    const r = spawnSync(
      toolPath('shellcheck'),
      [
        '--shell=bash',
        '--severity=style',
        '--external-sources',
        '--source-path=SCRIPTDIR',
        ...files.map((s) => join(provisionDir, s)),
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
