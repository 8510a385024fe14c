import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { provisionDir } from './harness.ts';

const scripts = readdirSync(provisionDir).filter((f) => f.endsWith('.sh'));

describe('provision scripts, static', () => {
  it('are the three expected scripts', () => {
    expect(scripts.sort()).toEqual(['common.sh', 'master.sh', 'worker.sh']);
  });

  it('are shellcheck-clean (shellcheck must be installed; CI installs it)', () => {
    expect(existsSync('/usr/bin/shellcheck'), 'shellcheck is missing: apt-get install shellcheck').toBe(true);
    const r = spawnSync(
      '/usr/bin/shellcheck',
      ['--shell=bash', '--severity=style', ...scripts.map((s) => join(provisionDir, s))],
      {
        encoding: 'utf8',
      },
    );
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.each(scripts)('%s starts with strict mode and parses', (s) => {
    const text = readFileSync(join(provisionDir, s), 'utf8');
    expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(text).toMatch(/^set -euo pipefail$/m);
    expect(text).not.toMatch(/^\s*set -[a-z]*x/m);
    const r = spawnSync('/usr/bin/bash', ['-n', join(provisionDir, s)], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
  });

  it('keep their shared helper block identical', () => {
    const block = (s: string): string => {
      const text = readFileSync(join(provisionDir, s), 'utf8');
      const start = text.indexOf('# --- labkit helpers');
      const end = text.indexOf('# --- end of labkit helpers');
      expect(start).toBeGreaterThan(0);
      expect(end).toBeGreaterThan(start);
      return text.slice(start, end);
    };
    expect(block('master.sh')).toBe(block('common.sh'));
    expect(block('worker.sh')).toBe(block('common.sh'));
  });

  it('never install or call Docker', () => {
    for (const s of scripts) {
      const text = readFileSync(join(provisionDir, s), 'utf8');
      expect(text).not.toMatch(/apt-get install[^\n]*docker/);
      expect(text).not.toMatch(/get\.docker\.com|docker-ce=|containerd\.io/);
    }
  });
});
