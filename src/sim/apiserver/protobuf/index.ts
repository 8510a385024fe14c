// Request bodies kubectl sends as protobuf, decoded to the JSON API's shape (see decode.ts).
export { decodeProtobufBody, PROTOBUF_CONTENT_TYPE } from './decode.ts';
export { ProtobufDecodeError, UnsupportedProtobufKindError } from './errors.ts';
