// What the real kubectl v1.33 POSTs as protobuf decodes to the object it prints for the same command
// with --dry-run=client -o json (the JSON form of the very same object, before it is encoded).
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  decodeProtobufBody,
  PROTOBUF_CONTENT_TYPE,
  ProtobufDecodeError,
  UnsupportedProtobufKindError,
} from '../../../../src/sim/apiserver/protobuf/index.ts';
import { startCaptureServer } from '../../../helpers/capture-server.ts';
import { kubectlClient, type KubectlClient } from '../../../helpers/real-kubectl.ts';
import { describeWithTools } from '../../../helpers/with-tools.ts';

/** JSON without what "omit empty" leaves out: null (a zero Time), {} and [] (empty structs and lists). */
function omitEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(omitEmpty);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const cleaned = omitEmpty(v);
    if (cleaned === null || cleaned === undefined) continue;
    if (typeof cleaned === 'object' && Object.keys(cleaned).length === 0) continue;
    out[k] = cleaned;
  }
  return out;
}

const COMMANDS: readonly (readonly string[])[] = [
  [
    'create',
    'deployment',
    'hostname-deployment',
    '--image=docker.io/alicek106/rr-test:echo-hostname',
    '--replicas=3',
    '--port=80',
  ],
  ['create', 'deployment', 'sleeper', '--image=docker.io/busybox', '--', 'sleep', '3600'],
  ['create', 'service', 'clusterip', 'hostname-service-clusterip', '--tcp=8080:80'],
  ['create', 'service', 'clusterip', 'headless', '--clusterip=None'],
  ['create', 'service', 'nodeport', 'hostname-service-nodeport', '--tcp=8080:80', '--node-port=30080'],
  ['create', 'service', 'loadbalancer', 'hostname-service-lb', '--tcp=80:8080', '--tcp=443:8443'],
  ['create', 'service', 'externalname', 'external', '--external-name=example.com'],
  [
    'create',
    'secret',
    'docker-registry',
    'regcred',
    '--docker-server=registry.example',
    '--docker-username=student',
    '--docker-password=not-a-secret',
    '--docker-email=s@example.com',
  ],
  ['create', 'secret', 'generic', 'plain', '--from-literal=a=b', '--from-literal=empty='],
  ['create', 'namespace', 'lab'],
  ['create', 'configmap', 'settings', '--from-literal=mode=fast', '--from-literal=blank='],
  ['create', 'serviceaccount', 'robot'],
];

describeWithTools(['real-kubectl'], 'protobuf bodies of the real kubectl', () => {
  let server: Awaited<ReturnType<typeof startCaptureServer>>;
  let client: KubectlClient;
  const kubectl = (args: readonly string[]) => client.run(args);

  beforeAll(async () => {
    server = await startCaptureServer((request) => {
      try {
        return { status: 201, body: decodeProtobufBody(request.body) };
      } catch (error) {
        if (!(error instanceof ProtobufDecodeError)) throw error;
        const code = error instanceof UnsupportedProtobufKindError ? 415 : 400;
        const reason = code === 415 ? 'UnsupportedMediaType' : 'BadRequest';
        return {
          status: code,
          body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: error.message, reason, code },
        };
      }
    });
    client = await kubectlClient(server.url);
  });
  afterAll(async () => {
    await server.close();
    client.cleanup();
  });

  it.each(
    COMMANDS.map(
      (c) =>
        [
          c
            .slice(1, 4)
            .filter((w) => !w.startsWith('-'))
            .join(' '),
          c,
        ] as const,
    ),
  )('kubectl create %s', async (_title, command) => {
    const before = server.captured.length;
    const created = await kubectl(command);
    expect(created.stderr).toBe('');
    expect(created.exitCode).toBe(0);
    const posts = server.captured.slice(before);
    expect(posts.map((p) => [p.method, p.contentType])).toEqual([['POST', PROTOBUF_CONTENT_TYPE]]);
    // JSON responses are fine: kubectl accepts both.
    expect(posts[0]?.accept).toBe(`${PROTOBUF_CONTENT_TYPE},application/json`);
    const dryRun = await kubectl([
      ...command.slice(0, command.indexOf('--') < 0 ? undefined : command.indexOf('--')),
      '--dry-run=client',
      '-o',
      'json',
      ...(command.includes('--') ? command.slice(command.indexOf('--')) : []),
    ]);
    expect(dryRun.exitCode).toBe(0);
    expect(decodeProtobufBody(posts[0]?.body ?? Buffer.alloc(0))).toEqual(
      omitEmpty(JSON.parse(dryRun.stdout)),
    );
  });

  it('names a kind it does not decode, so the server can answer 415', async () => {
    const before = server.captured.length;
    const result = await kubectl(['create', 'job', 'once', '--image=docker.io/busybox']);
    const body = server.captured[before]?.body ?? Buffer.alloc(0);
    expect(() => decodeProtobufBody(body)).toThrow(UnsupportedProtobufKindError);
    expect(() => decodeProtobufBody(body)).toThrow(
      /^batch\/v1\/Job: the simulated API server decodes protobuf bodies only for/,
    );
    expect(result.stderr).toMatch(/^error: failed to create job: batch\/v1\/Job: /);
    expect(result.exitCode).toBe(1);
  });
});
