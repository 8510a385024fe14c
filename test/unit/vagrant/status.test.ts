import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseMachineReadable, parseMachineReadableLine } from '../../../src/vagrant/machine-readable.ts';
import { parseVagrantStatus } from '../../../src/vagrant/status.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/vagrant/${name}`, import.meta.url), 'utf8');

describe('vagrant --machine-readable', () => {
  test('unescapes commas and newlines in data', () => {
    expect(parseMachineReadableLine('1,web,ui,info,a%!(VAGRANT_COMMA) b\\nc')).toEqual({
      timestamp: 1,
      target: 'web',
      type: 'ui',
      data: ['info', 'a, b\nc'],
    });
  });

  test('ignores lines that are not events', () => {
    expect(parseMachineReadable('Bringing machine up\n\n12,,ui,info,x\n')).toEqual([
      { timestamp: 12, target: '', type: 'ui', data: ['info', 'x'] },
    ]);
  });
});

describe('vagrant status', () => {
  test('reads each machine state and provider (virtualbox, three states)', () => {
    expect(parseVagrantStatus(fixture('status-mixed.txt'))).toEqual([
      { name: 'master-node', state: 'running', provider: 'virtualbox' },
      { name: 'worker-node01', state: 'poweroff', provider: 'virtualbox' },
      { name: 'worker-node02', state: 'not_created', provider: 'virtualbox' },
    ]);
  });

  test('reads libvirt states', () => {
    expect(parseVagrantStatus(fixture('status-libvirt.txt'))).toEqual([
      { name: 'master-node', state: 'shutoff', provider: 'libvirt' },
    ]);
  });
});
