import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseConfigText } from '../../../src/config/load.ts';
import { collectLabStatus, formatLabStatus } from '../../../src/status/lab-status.ts';
import { FakeLabExecutor } from '../../helpers/fake-lab-executor.ts';

const config = parseConfigText(
  'lab.config.yaml',
  readFileSync(new URL('../../../lab.config.yaml', import.meta.url), 'utf8'),
);
const machines = (state: string) =>
  config.nodes.map((n) => ({ name: n.name, state, provider: 'virtualbox' }));
const fake = (joined: string[]) =>
  new FakeLabExecutor({
    master: 'master-node',
    masterIp: '192.168.56.10',
    workers: [
      { name: 'worker-node01', ip: '192.168.56.11' },
      { name: 'worker-node02', ip: '192.168.56.12' },
    ],
    joined,
  });

describe('lab:status', () => {
  test('a healthy lab: every VM running, every node Ready on its configured IP', async () => {
    const ssh = fake(['worker-node01', 'worker-node02']);
    const status = await collectLabStatus(config, machines('running'), async () => ssh);
    expect(status.healthy).toBe(true);
    expect(ssh.closed).toBe(true);
    const text = formatLabStatus(status);
    expect(text.split('\n').slice(0, 4)).toEqual([
      'NODE            CONFIG IP       VM        KUBERNETES   INTERNAL-IP     ROLES',
      'master-node     192.168.56.10   running   Ready        192.168.56.10   <none>',
      'worker-node01   192.168.56.11   running   Ready        192.168.56.11   <none>',
      'worker-node02   192.168.56.12   running   Ready        192.168.56.12   <none>',
    ]);
    expect(text).toContain('Lab is healthy.');
  });

  test('a worker that has not joined is shown as such and the lab is not healthy', async () => {
    const status = await collectLabStatus(config, machines('running'), async () => fake(['worker-node01']));
    expect(status.rows.map((r) => r.kubernetes)).toEqual(['Ready', 'Ready', 'not joined']);
    expect(status.healthy).toBe(false);
    expect(formatLabStatus(status)).toContain(
      'Lab is not ready: run `npm run lab:up` (it resumes where it stopped).',
    );
  });

  test('VMs that are not created are reported without trying SSH', async () => {
    let connected = false;
    const status = await collectLabStatus(config, machines('not_created'), async () => {
      connected = true;
      return fake([]);
    });
    expect(connected).toBe(false);
    expect(status.rows.map((r) => [r.vm, r.kubernetes])).toEqual([
      ['not_created', 'unknown'],
      ['not_created', 'unknown'],
      ['not_created', 'unknown'],
    ]);
    expect(status.clusterError).toBe('master-node is not running');
  });

  test('an unreachable control plane is reported with the reason, not thrown', async () => {
    const status = await collectLabStatus(config, machines('running'), async () => {
      throw new Error('master-node: connection refused (127.0.0.1:2222)\nmore');
    });
    expect(status.clusterError).toBe('master-node: connection refused (127.0.0.1:2222)');
    expect(status.healthy).toBe(false);
  });
});
