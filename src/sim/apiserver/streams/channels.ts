// The v5.channel.k8s.io framing (k8s.io/apimachinery/pkg/util/remotecommand/constants.go): every
// WebSocket message is binary, its first byte the channel; 255 carries a CLOSE of the channel in byte 2.
import { z } from 'zod';
import type { TerminalSize } from './types.ts';

export const PROTOCOL_V5 = 'v5.channel.k8s.io';

export const Channel = {
  stdin: 0,
  stdout: 1,
  stderr: 2,
  error: 3,
  resize: 4,
  close: 255,
} as const;

export function frame(channel: number, data: Buffer | string): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.concat([Buffer.of(channel), payload]);
}

export type ClientMessage =
  | { readonly kind: 'stdin'; readonly data: Buffer }
  | { readonly kind: 'resize'; readonly data: Buffer }
  | { readonly kind: 'close'; readonly channel: number }
  | { readonly kind: 'other'; readonly channel: number };

export function parseClientMessage(message: Buffer): ClientMessage | undefined {
  const channel = message[0];
  if (channel === undefined) return undefined;
  const data = message.subarray(1);
  if (channel === Channel.stdin) return { kind: 'stdin', data };
  if (channel === Channel.resize) return { kind: 'resize', data };
  if (channel === Channel.close) return { kind: 'close', channel: data[0] ?? -1 };
  return { kind: 'other', channel };
}

// client-go encodes remotecommand.TerminalSize with encoding/json: `{"Width":80,"Height":24}\n`.
const TerminalSizeJson = z.object({
  Width: z.number().int().min(0).max(65535),
  Height: z.number().int().min(0).max(65535),
});

/** Reassembles resize JSON (one object per line, possibly split across messages). */
export class ResizeDecoder {
  private buffer = '';

  feed(data: Buffer): { sizes: TerminalSize[]; errors: string[] } {
    this.buffer += data.toString('utf8');
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop() ?? '';
    const sizes: TerminalSize[] = [];
    const errors: string[] = [];
    for (const line of lines.map((l) => l.trim()).filter(Boolean)) {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        errors.push(`resize: not JSON: ${line.slice(0, 80)}`);
        continue;
      }
      const parsed = TerminalSizeJson.safeParse(json);
      if (parsed.success) sizes.push({ width: parsed.data.Width, height: parsed.data.Height });
      else errors.push(`resize: want {"Width":N,"Height":N}, got ${line.slice(0, 80)}`);
    }
    return { sizes, errors };
  }
}
