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
