// A decoded protobuf message in the shape kube-apiserver's JSON has: field names as in the JSON API,
// Time as RFC 3339, IntOrString as a number or a string, Quantity as its string, bytes as base64. Empty
// values are omitted (a Go value field that is zero, an empty struct or list), except pointer fields,
// whose presence is the value (schema.ts POINTER_FIELDS).
import protobuf from 'protobufjs';
import { POINTER_FIELDS } from './schema.ts';

type Json = string | number | boolean | Json[] | { [key: string]: Json };
type Decoded = Record<string, unknown>;

const TIME = 'k8s.io.apimachinery.pkg.apis.meta.v1.Time';
const INT_OR_STRING = 'k8s.io.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'k8s.io.apimachinery.pkg.api.resource.Quantity';

const fullName = (t: protobuf.ReflectionObject): string => t.fullName.replace(/^\./, '');

export function messageToJson(type: protobuf.Type, message: Decoded): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const field of type.fieldsArray) {
    if (!Object.prototype.hasOwnProperty.call(message, field.name)) continue;
    const pointer = POINTER_FIELDS.has(`${fullName(type)}.${field.name}`);
    const value = fieldToJson(field, message[field.name], pointer);
    if (value !== undefined) out[field.name] = value;
  }
  return out;
}

function fieldToJson(field: protobuf.Field, value: unknown, pointer: boolean): Json | undefined {
  if (field instanceof protobuf.MapField) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return undefined;
    // Map values are kept even when empty: `app: ""` is a label.
    return Object.fromEntries(entries.map(([k, v]) => [k, valueToJson(field, v, true) ?? '']));
  }
  if (field.repeated) {
    const items = (value as unknown[]).map((v) => valueToJson(field, v, true) ?? '');
    return items.length ? items : undefined;
  }
  return valueToJson(field, value, pointer);
}

function valueToJson(field: protobuf.Field, value: unknown, keepZero: boolean): Json | undefined {
  const type = field.resolvedType;
  if (type instanceof protobuf.Type) {
    const json = messageJson(type, value as Decoded, keepZero);
    return json;
  }
  const scalar = scalarToJson(field.type, value);
  if (!keepZero && (scalar === '' || scalar === 0 || scalar === false)) return undefined;
  return scalar;
}

function messageJson(type: protobuf.Type, message: Decoded, keepZero: boolean): Json | undefined {
  switch (fullName(type)) {
    case TIME: {
      const seconds = Number(message['seconds'] ?? 0);
      if (seconds === 0 && !keepZero) return undefined; // a zero Time is `null` in JSON
      return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    case INT_OR_STRING: {
      const isString = Number(message['type'] ?? 0) === 1;
      const json = isString ? String(message['strVal'] ?? '') : Number(message['intVal'] ?? 0);
      if (!keepZero && (json === 0 || json === '')) return undefined;
      return json;
    }
    case QUANTITY:
      return String(message['string'] ?? '');
  }
  const json = messageToJson(type, message);
  return Object.keys(json).length || keepZero ? json : undefined;
}

function scalarToJson(type: string, value: unknown): Json {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (type === 'bool') return Boolean(value);
  if (type === 'string') return String(value);
  // int64 arrives as a Long (or a number when small); every int64 here fits a double (seconds, counts).
  return Number(value);
}
