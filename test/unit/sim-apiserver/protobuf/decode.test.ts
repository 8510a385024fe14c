import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import {
  decodeProtobufBody,
  ProtobufDecodeError,
  UnsupportedProtobufKindError,
} from '../../../../src/sim/apiserver/protobuf/index.ts';
import { root } from '../../../../src/sim/apiserver/protobuf/schema.ts';

const MAGIC = Buffer.from('k8s\0', 'latin1');

function envelope(
  apiVersion: string,
  kind: string,
  raw: Uint8Array,
  extra: Record<string, string> = {},
): Buffer {
  const unknown = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  return Buffer.concat([
    MAGIC,
    unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw, ...extra })).finish(),
  ]);
}

function encode(typeName: string, object: Record<string, unknown>): Uint8Array {
  const type = root.lookupType(typeName);
  return type.encode(type.fromObject(object)).finish();
}

describe('decodeProtobufBody', () => {
  it('keeps a pointer field set to zero and drops zero value fields, as the JSON API does', () => {
    const raw = encode('k8s.io.api.apps.v1.Deployment', {
      // gogo-protobuf writes every non-pointer field, zero or not.
      metadata: { name: 'web', namespace: '', generation: 0, creationTimestamp: {} },
      spec: {
        replicas: 0,
        minReadySeconds: 0,
        paused: false,
        strategy: {
          type: '',
          rollingUpdate: { maxSurge: { type: 1, strVal: '25%' }, maxUnavailable: { type: 0, intVal: 0 } },
        },
        template: {
          metadata: { labels: { app: '' } },
          spec: { containers: [{ name: 'c', image: 'i', stdin: false }] },
        },
      },
      status: {},
    });
    expect(decodeProtobufBody(envelope('apps/v1', 'Deployment', raw))).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 0,
        strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
        template: { metadata: { labels: { app: '' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      },
    });
  });

  it('reads Time as RFC 3339, IntOrString as a string, bytes as base64', () => {
    const raw = encode('k8s.io.api.core.v1.Secret', {
      metadata: { name: 's', creationTimestamp: { seconds: 1_767_225_600 } },
      data: { key: Buffer.from('value') },
      immutable: false,
    });
    expect(decodeProtobufBody(envelope('v1', 'Secret', raw))).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', creationTimestamp: '2026-01-01T00:00:00Z' },
      data: { key: 'dmFsdWU=' },
      immutable: false,
    });
    const svc = encode('k8s.io.api.core.v1.Service', {
      spec: { ports: [{ port: 8080, targetPort: { type: 1, strVal: 'web-port' } }] },
    });
    expect(decodeProtobufBody(envelope('v1', 'Service', svc))).toMatchObject({
      spec: { ports: [{ port: 8080, targetPort: 'web-port' }] },
    });
  });

  it('names a field the simulator does not decode instead of dropping it', () => {
    const known = encode('k8s.io.api.core.v1.Namespace', { metadata: { name: 'lab' } });
    // ObjectMeta field 17 (managedFields) inside metadata (field 1): not in the subset.
    const writer = protobuf.Writer.create();
    writer
      .uint32((1 << 3) | 2)
      .fork()
      .uint32((17 << 3) | 2)
      .bytes(new Uint8Array())
      .ldelim();
    const raw = Buffer.concat([known, writer.finish()]);
    expect(() => decodeProtobufBody(envelope('v1', 'Namespace', raw))).toThrow(
      new ProtobufDecodeError(
        'Namespace.metadata: field number 17 of k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta is not decoded by the simulated API server',
      ),
    );
  });

  it('refuses kinds and encodings it does not read with UnsupportedProtobufKindError', () => {
    const job = () => decodeProtobufBody(envelope('batch/v1', 'Job', new Uint8Array()));
    expect(job).toThrow(UnsupportedProtobufKindError);
    try {
      job();
    } catch (error) {
      expect(error).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job' });
    }
    expect(() =>
      decodeProtobufBody(envelope('v1', 'Namespace', new Uint8Array(), { contentEncoding: 'gzip' })),
    ).toThrow('v1/Namespace: contentEncoding "gzip" is not supported');
  });

  it('refuses a body that is not a Kubernetes protobuf envelope', () => {
    expect(() => decodeProtobufBody(Buffer.from('{"kind":"Pod"}'))).toThrow(
      'body is not a Kubernetes protobuf envelope: it does not start with the magic bytes "k8s\\0"',
    );
    expect(() => decodeProtobufBody(Buffer.concat([MAGIC, Buffer.from([0x0a, 0x05, 0x01])]))).toThrow(
      ProtobufDecodeError,
    );
  });
});
