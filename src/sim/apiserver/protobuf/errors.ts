// Why a protobuf body was not decoded. The server answers UnsupportedProtobufKind with 415 (the kind is
// one this simulator does not read as protobuf; JSON still works) and the others with 400.
export class ProtobufDecodeError extends Error {
  override readonly name: string = 'ProtobufDecodeError';
}

export class UnsupportedProtobufKindError extends ProtobufDecodeError {
  override readonly name = 'UnsupportedProtobufKindError';
  constructor(
    readonly apiVersion: string,
    readonly kind: string,
    detail = 'the simulated API server decodes protobuf bodies only for Deployment, Service, Secret, ConfigMap, Namespace and ServiceAccount; send it as JSON (e.g. kubectl apply -f)',
  ) {
    super(`${apiVersion}/${kind}: ${detail}`);
  }
}
