// protobuf decoders skip fields they do not know; for kubectl's bodies that would drop part of an object
// without a word. This walks the wire format beside the schema and names the first field it lacks.
import protobuf from 'protobufjs';
import { ProtobufDecodeError } from './errors.ts';

const LENGTH_DELIMITED = 2;

export function assertKnownFields(type: protobuf.Type, bytes: Uint8Array, path = type.name): void {
  const reader = protobuf.Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const id = tag >>> 3;
    const wireType = tag & 7;
    const field = type.fieldsById[id];
    if (!field)
      throw new ProtobufDecodeError(
        `${path}: field number ${id} of ${type.fullName.replace(/^\./, '')} is not decoded by the simulated API server`,
      );
    const nested = messageOf(field);
    if (wireType === LENGTH_DELIMITED && nested) {
      const inner = reader.bytes();
      if (field instanceof protobuf.MapField) assertMapEntry(nested, inner, `${path}.${field.name}`);
      else assertKnownFields(nested, inner, `${path}.${field.name}`);
    } else reader.skipType(wireType);
  }
}

function messageOf(field: protobuf.Field): protobuf.Type | undefined {
  return field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
}

/** A map entry is a message of key = 1, value = 2; only a message-typed value needs checking. */
function assertMapEntry(valueType: protobuf.Type, entry: Uint8Array, path: string): void {
  const reader = protobuf.Reader.create(entry);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 2 && (tag & 7) === LENGTH_DELIMITED) assertKnownFields(valueType, reader.bytes(), path);
    else reader.skipType(tag & 7);
  }
}
