// The real kubectl v1.33 execs into a pod through the stream handler (WebSocket, v5.channel.k8s.io).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools } from '../../../helpers/with-tools.ts';
import { kubectlClient, type KubectlClient } from '../../../helpers/real-kubectl.ts';
import { startStreamTestServer, type StreamTestServer } from '../../../helpers/stream-test-server.ts';

describeWithTools(['real-kubectl'], 'kubectl exec over WebSocket', () => {
  let server: StreamTestServer;
  let client: KubectlClient;
  const kubectl = (args: string[], input?: string) => client.run(args, input);

  beforeAll(async () => {
    server = await startStreamTestServer();
    server.addPod('box');
    client = await kubectlClient(server.url);
  });
  afterAll(async () => {
    await server.close();
    client.cleanup();
  });

  it('prints the output and exits with the command exit code', async () => {
    const result = await kubectl(['exec', 'box', '--', 'sh', '-c', 'echo hi; echo oops >&2; exit 3']);
    expect(result.stdout).toBe('hi');
    expect(result.stderr).toBe('oops\ncommand terminated with exit code 3');
    expect(result.exitCode).toBe(3);
  });

  it('exits 0 after a command that succeeds', async () => {
    const result = await kubectl(['exec', 'box', '--', 'hostname']);
    expect(result).toMatchObject({ stdout: 'box', stderr: '', exitCode: 0 });
  });

  it('feeds piped stdin to the command and closes it at the end (-i)', async () => {
    const result = await kubectl(['exec', '-i', 'box', '--', 'sh', '-c', 'cat; echo done'], 'x\ny\n');
    expect(result).toMatchObject({ stdout: 'x\ny\ndone', exitCode: 0 });
  });

  it('reports a program missing from the image as the server does', async () => {
    const result = await kubectl(['exec', 'box', '--', 'nosuch']);
    expect(result.stderr).toBe(
      'error: Internal error occurred: error executing command in container: failed to exec in container: OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuch": executable file not found in $PATH: unknown',
    );
    expect(result.exitCode).toBe(1);
  });

  it('reports a missing pod as NotFound', async () => {
    const result = await kubectl(['exec', 'ghost', '--', 'true']);
    expect(result.stderr).toBe('Error from server (NotFound): pods "ghost" not found');
    expect(result.exitCode).toBe(1);
  });
});
