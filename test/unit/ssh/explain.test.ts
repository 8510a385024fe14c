import { describe, expect, test } from 'vitest';
import { SshError } from '../../../src/ssh/errors.ts';
import { explainSshError, type ErrorLike } from '../../../src/ssh/explain.ts';
import type { SshTarget } from '../../../src/ssh/types.ts';

const vagrant: SshTarget = {
  name: 'master-node',
  host: '127.0.0.1',
  port: 2222,
  user: 'vagrant',
  identityFile: '/lab/.vagrant/machines/master-node/virtualbox/private_key',
  hostKey: { mode: 'ignore' },
  origin: 'vagrant',
};

const inventory: SshTarget = {
  name: 'alice/master-node',
  host: 'alice-k8s.example',
  port: 22,
  user: 'vagrant',
  identityFile: '/keys/class',
  hostKey: { mode: 'strict', knownHostsFile: '/home/t/.ssh/known_hosts' },
  connectTimeoutSec: 10,
  origin: 'inventory',
  jump: { name: 'bastion', host: 'bastion.example', port: 2022, user: 'jump', hostKey: { mode: 'ignore' } },
};

describe('explainSshError', () => {
  test.each<[string, ErrorLike, SshTarget, string, string]>([
    [
      'connection refused (vagrant)',
      { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:2222' },
      vagrant,
      'connection refused by 127.0.0.1:2222',
      'master-node: nothing accepts SSH connections at 127.0.0.1:2222: check that the VM is running (`vagrant status`) and that the port matches `vagrant ssh-config`.',
    ],
    [
      'handshake timeout (inventory, via a jump host)',
      { level: 'client-timeout', message: 'Timed out while waiting for handshake' },
      inventory,
      'no answer from alice-k8s.example:22 via bastion.example:2022 within 10 s',
      'alice/master-node: alice-k8s.example:22 via bastion.example:2022 did not complete an SSH handshake within 10 s (machine down, booting, or traffic dropped): check that the machine is up with sshd running, and that host and port in the inventory are right.',
    ],
    [
      'ETIMEDOUT',
      { code: 'ETIMEDOUT' },
      vagrant,
      'no answer from 127.0.0.1:2222 within 20 s',
      'master-node: 127.0.0.1:2222 did not complete an SSH handshake within 20 s (machine down, booting, or traffic dropped): check that the VM is running (`vagrant status`) and that the port matches `vagrant ssh-config`.',
    ],
    [
      'no route',
      { code: 'EHOSTUNREACH' },
      vagrant,
      'no route to 127.0.0.1:2222',
      "master-node: this machine has no route to 127.0.0.1:2222: check the private network (the VM's host-only address, `vagrant status`) or the host in the inventory.",
    ],
    [
      'DNS',
      { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND alice-k8s.example' },
      inventory,
      'cannot resolve host name "alice-k8s.example"',
      'alice/master-node: the name "alice-k8s.example" does not resolve (DNS): check the host in the inventory, or use an IP address.',
    ],
    [
      'authentication (vagrant)',
      { level: 'client-authentication', message: 'All configured authentication methods failed' },
      vagrant,
      'authentication failed at 127.0.0.1:2222',
      'master-node: 127.0.0.1:2222 did not accept user "vagrant" with key /lab/.vagrant/machines/master-node/virtualbox/private_key: re-read `vagrant ssh-config` (a recreated VM gets a new key).',
    ],
    [
      'authentication (inventory)',
      { message: 'All configured authentication methods failed' },
      inventory,
      'authentication failed at alice-k8s.example:22 via bastion.example:2022',
      'alice/master-node: alice-k8s.example:22 via bastion.example:2022 did not accept user "vagrant" with key /keys/class: check user and identityFile for this host in the inventory.',
    ],
    [
      'host key refusal',
      {
        message: 'Host denied (verification failed)',
        hostKeyRefusal: 'alice/master-node: the host key of alice-k8s.example has changed: …',
      },
      inventory,
      'host key refused for alice-k8s.example:22 via bastion.example:2022',
      'alice/master-node: the host key of alice-k8s.example has changed: …',
    ],
    [
      'connection lost',
      { code: 'ECONNRESET', message: 'read ECONNRESET' },
      vagrant,
      'connection to 127.0.0.1:2222 lost',
      'master-node: the SSH connection to 127.0.0.1:2222 was lost (the machine rebooted, sshd restarted, or the network dropped): check that the VM is running (`vagrant status`) and that the port matches `vagrant ssh-config`, then run the command again.',
    ],
    [
      'missing key file',
      { code: 'ENOENT', path: '/keys/class' },
      inventory,
      'cannot read private key /keys/class',
      'alice/master-node: the private key /keys/class cannot be read (ENOENT): check identityFile in the inventory, or re-read `vagrant ssh-config`.',
    ],
  ])('%s', (_title, error, target, reason, hint) => {
    expect(explainSshError(error, target)).toMatchObject({ reason, hint });
  });

  test('SshError: first line names host, reason and command; the hint follows', () => {
    const error = new SshError(vagrant, { code: 'ECONNREFUSED' }, { command: 'kubectl get nodes' });
    expect(error.shortMessage).toBe('master-node: connection refused by 127.0.0.1:2222: kubectl get nodes');
    expect(error.message.split('\n')).toHaveLength(2);
    expect(error.kind).toBe('refused');
    expect(error.address).toBe('127.0.0.1:2222');
  });
});
