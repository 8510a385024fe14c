// Decodes a request body sent as application/vnd.kubernetes.protobuf: the 4-byte magic `k8s\0`, then a
// runtime.Unknown envelope (typeMeta, raw, contentEncoding, contentType) whose raw bytes are the object's
// own message; returns the object as the JSON API would carry it (apiVersion, kind, metadata, ...).
import type protobuf from 'protobufjs';
import { ProtobufDecodeError, UnsupportedProtobufKindError } from './errors.ts';
import { KINDS, root } from './schema.ts';
import { messageToJson } from './to-json.ts';
import { assertKnownFields } from './unknown-fields.ts';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const UNKNOWN = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');

interface Envelope {
  typeMeta?: { apiVersion?: string; kind?: string };
  raw?: Uint8Array;
  contentEncoding?: string;
  contentType?: string;
}

function decodeMessage(type: protobuf.Type, bytes: Uint8Array, what: string): Record<string, unknown> {
  try {
    assertKnownFields(type, bytes);
    return type.decode(bytes) as unknown as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ProtobufDecodeError) throw error;
    throw new ProtobufDecodeError(`${what}: not a valid protobuf message (${(error as Error).message})`);
  }
}

export function decodeProtobufBody(body: Buffer): Record<string, unknown> {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC))
    throw new ProtobufDecodeError(
      `body is not a Kubernetes protobuf envelope: it does not start with the magic bytes "k8s\\0"`,
    );
  const envelope = decodeMessage(
    UNKNOWN,
    body.subarray(MAGIC.length),
    'runtime.Unknown envelope',
  ) as Envelope;
  const apiVersion = envelope.typeMeta?.apiVersion ?? '';
  const kind = envelope.typeMeta?.kind ?? '';
  if (!kind) throw new ProtobufDecodeError('runtime.Unknown envelope: typeMeta.kind is empty');
  if (envelope.contentEncoding)
    throw new UnsupportedProtobufKindError(
      apiVersion,
      kind,
      `contentEncoding "${envelope.contentEncoding}" is not supported`,
    );
  if (envelope.contentType && envelope.contentType !== PROTOBUF_CONTENT_TYPE)
    throw new UnsupportedProtobufKindError(
      apiVersion,
      kind,
      `contentType "${envelope.contentType}" is not supported`,
    );
  const typeName = KINDS[`${apiVersion}/${kind}`];
  if (!typeName) throw new UnsupportedProtobufKindError(apiVersion, kind);
  const type = root.lookupType(typeName);
  const message = decodeMessage(type, envelope.raw ?? new Uint8Array(), `${apiVersion}/${kind}`);
  return { apiVersion, kind, ...messageToJson(type, message) };
}
