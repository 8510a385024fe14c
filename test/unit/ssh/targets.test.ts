import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { targetsFromInventory, targetsFromSshConfig } from '../../../src/ssh/targets.ts';

const fixture = (name: string): string =>
  readFileSync(join(import.meta.dirname, '../../fixtures/ssh', name), 'utf8');

describe('targetsFromSshConfig', () => {
  test('vagrant ssh-config for VirtualBox: forwarded ports on 127.0.0.1, host keys ignored', () => {
    expect(targetsFromSshConfig(fixture('vagrant-ssh-config-virtualbox.txt'))).toEqual(
      [
        ['master-node', 2222],
        ['worker-node01', 2200],
        ['worker-node02', 2201],
      ].map(([name, port]) => ({
        name,
        host: '127.0.0.1',
        port,
        user: 'vagrant',
        identityFile: `/home/student/k8s-lab/.vagrant/machines/${name}/virtualbox/private_key`,
        hostKey: { mode: 'ignore' },
        origin: 'vagrant',
      })),
    );
  });

  test('vagrant ssh-config for libvirt: management addresses on port 22, quoted key paths with spaces', () => {
    const targets = targetsFromSshConfig(fixture('vagrant-ssh-config-libvirt.txt'), {
      connectTimeoutSec: 30,
    });
    expect(targets.map((t) => [t.name, t.host, t.port])).toEqual([
      ['master-node', '192.168.121.23', 22],
      ['worker-node01', '192.168.121.87', 22],
      ['worker-node02', '192.168.121.154', 22],
    ]);
    expect(targets[0]?.identityFile).toBe(
      '/home/student/my labs/k8s/.vagrant/machines/master-node/libvirt/private_key',
    );
    expect(targets[0]?.connectTimeoutSec).toBe(30);
  });

  test('host-key checking follows StrictHostKeyChecking and UserKnownHostsFile; relative keys resolve against cwd', () => {
    const text =
      'Host a\n  HostName 10.0.0.1\n  IdentityFile keys/a\n  UserKnownHostsFile /tmp/kh\nHost b\n  StrictHostKeyChecking accept-new\nHost *\n  User admin\n';
    expect(targetsFromSshConfig(text, { cwd: '/lab' })).toEqual([
      {
        name: 'a',
        host: '10.0.0.1',
        port: 22,
        user: 'admin',
        identityFile: '/lab/keys/a',
        hostKey: { mode: 'strict', knownHostsFile: '/tmp/kh' },
        origin: 'vagrant',
      },
      {
        name: 'b',
        host: 'b',
        port: 22,
        user: 'admin',
        hostKey: { mode: 'accept-new', knownHostsFile: '~/.ssh/known_hosts' },
        origin: 'vagrant',
      },
    ]);
  });

  test('a bad port is named', () => {
    expect(() => targetsFromSshConfig('Host a\n  Port 99999\n')).toThrow(
      'ssh-config: Host a has an invalid Port "99999"',
    );
  });
});

describe('targetsFromInventory', () => {
  test('names targets student/host, keeps jump hosts and policies', () => {
    const hostKey = { mode: 'strict', knownHostsFile: '/kh' } as const;
    const targets = targetsFromInventory({
      students: [
        {
          id: 'alice',
          master: {
            name: 'master-node',
            host: '10.0.0.5',
            port: 22,
            user: 'vagrant',
            identityFile: '/k',
            hostKey,
            jump: {
              host: 'bastion',
              port: 2022,
              user: 'j',
              identityFile: '/jk',
              hostKey: { mode: 'ignore' },
            },
          },
          workers: [
            {
              name: 'worker-node01',
              host: '10.0.0.6',
              port: 22,
              user: 'vagrant',
              identityFile: '/k',
              hostKey,
            },
          ],
        },
      ],
    });
    expect(targets.map((t) => t.name)).toEqual(['alice/master-node', 'alice/worker-node01']);
    expect(targets[0]?.jump).toEqual({
      name: 'alice/master-node (jump bastion)',
      host: 'bastion',
      port: 2022,
      user: 'j',
      identityFile: '/jk',
      hostKey: { mode: 'ignore' },
      origin: 'inventory',
    });
    expect(targets[1]?.origin).toBe('inventory');
  });
});
