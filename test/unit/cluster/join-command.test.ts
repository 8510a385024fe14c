import { expect, test } from 'vitest';
import { parseJoinCommand } from '../../../src/cluster/join-command.ts';

const HASH = `sha256:${'0123456789abcdef'.repeat(4)}`;

test('parses what kubeadm token create --print-join-command prints', () => {
  expect(
    parseJoinCommand(
      `kubeadm join 192.168.56.10:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash ${HASH} \n`,
    ),
  ).toEqual({
    endpoint: '192.168.56.10:6443',
    token: 'abcdef.0123456789abcdef',
    caCertHash: HASH,
  });
});

test.each([
  ['no output', ''],
  ['an error', 'failed to create or update bootstrap token'],
  [
    'a token of the wrong shape',
    `kubeadm join 192.168.56.10:6443 --token abc.def --discovery-token-ca-cert-hash ${HASH}`,
  ],
  [
    'an injected command',
    `kubeadm join 192.168.56.10:6443;reboot --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash ${HASH}`,
  ],
])('rejects %s', (_name, text) => {
  expect(parseJoinCommand(text)).toBeUndefined();
});
