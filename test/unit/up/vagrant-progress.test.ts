import { expect, test } from 'vitest';
import { VagrantProgress } from '../../../src/up/vagrant-progress.ts';

test('keeps the latest line per machine and collects error lines and error-exit messages', () => {
  const p = new VagrantProgress(['master-node', 'worker-node01']);
  expect(p.feed("1,master-node,ui,info,==> master-node: Importing base box 'bento/ubuntu-22.04'...")).toBe(
    "[master-node] ==> master-node: Importing base box 'bento/ubuntu-22.04'...",
  );
  p.feed('2,worker-node01,ui,info,==> worker-node01: Booting VM...');
  p.feed('3,master-node,ui,output,    master-node: [labkit] common: swap off');
  expect(p.render()).toBe('master-node: [labkit] common: swap off\nworker-node01: Booting VM...');
  p.feed('4,worker-node01,ui,error,    worker-node01: E: Unable to locate package kubelet');
  expect(
    p.feed(
      '5,,error-exit,Vagrant::Errors::VagrantError,The SSH command responded with a non-zero exit status.',
    ),
  ).toBe('ERROR The SSH command responded with a non-zero exit status.');
  expect(p.failures()).toEqual([
    { name: 'worker-node01', errors: ['worker-node01: E: Unable to locate package kubelet'] },
  ]);
  expect(p.globalErrors).toEqual(['The SSH command responded with a non-zero exit status.']);
  expect(p.feed('not machine readable')).toBe('not machine readable');
});

// Vagrant 2.3's shell provisioner shows the script's stderr at the same `detail` level as its stdout, so a
// failed `vagrant provision` marks no line as an error: the machine that printed last failed. Lines as
// recorded from the VM lane (box apt sources unreachable), in machine-readable form.
test('finds the failed machine, its step and the cause when vagrant marks no line as an error', () => {
  const p = new VagrantProgress(['master-node', 'worker-node01']);
  const lines = [
    '==> master-node: Running provisioner: common (shell)...',
    '    master-node: [labkit] kubelet: node IP 192.168.56.10 (interface eth1) already set',
    '    master-node: [labkit] packages: installing prerequisites: curl gpg',
    '    master-node: Err:1 http://127.0.0.1:9/debian bookworm InRelease',
    '    master-node:   Could not connect to 127.0.0.1:9 (127.0.0.1). - connect (111: Connection refused)',
    '    master-node: W: Failed to fetch http://127.0.0.1:9/debian/dists/bookworm/InRelease  Could not connect to 127.0.0.1:9 (127.0.0.1). - connect (111: Connection refused)',
    '    master-node: E: Unable to locate package curl',
    '    master-node: E: Unable to locate package gpg',
  ];
  lines.forEach((line, i) =>
    p.feed(`${i + 1},master-node,ui,detail,${line.replaceAll(',', '%!(VAGRANT_COMMA)')}`),
  );
  p.feed(
    '20,,error-exit,Vagrant::Errors::VagrantError,The SSH command responded with a non-zero exit status.',
  );
  expect(p.failures()).toEqual([
    {
      name: 'master-node',
      provisioner: 'common',
      step: 'packages',
      errors: [
        'W: Failed to fetch http://127.0.0.1:9/debian/dists/bookworm/InRelease  Could not connect to 127.0.0.1:9 (127.0.0.1). - connect (111: Connection refused)\nE: Unable to locate package gpg',
      ],
    },
  ]);
});

test('reports no failure when nothing ran', () => {
  expect(new VagrantProgress(['master-node']).failures()).toEqual([]);
});
