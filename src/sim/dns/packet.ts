// One DNS message in, one out: decodes a query (dns-packet), answers its question (answer.ts) and encodes
// the response as CoreDNS's server writes it: the id, opcode, RD and CD echoed, AA for the cluster's
// zones, no RA (CoreDNS never sets it for its own answers: dig says "recursion requested but not
// available"), EDNS0 echoed when the query had it, and over UDP a response that does not fit the client's
// buffer cut to the header and question with TC set, so the client retries over TCP.
import * as dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet } from 'dns-packet';
import { answerQuestion, type AnswerOptions, type Rcode, type Reply } from './answer.ts';
import type { ClusterView } from './view.ts';

const RCODES: Readonly<Record<Rcode, number>> = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
};

/** The buffer a client without EDNS0 has (RFC 1035 4.2.1). */
const CLASSIC_UDP_SIZE = 512;
/** CoreDNS caps what it advertises and uses at 4096 bytes unless `bufsize` says otherwise. */
const MAX_UDP_SIZE = 4096;

export type Transport = 'udp' | 'tcp';

export interface Exchange {
  readonly response: Buffer;
  /** For the log line. */
  readonly qname: string;
  readonly qtype: string;
  readonly rcode: Rcode;
  readonly flags: string;
}

export interface RespondOptions extends AnswerOptions {
  /** The `loadbalance` plugin: shuffles A/AAAA records in the answer (Math.random by default). */
  readonly random?: () => number;
}

function shuffleAddresses(answers: Answer[], random: () => number): Answer[] {
  const addresses = answers.filter((a) => a.type === 'A' || a.type === 'AAAA');
  if (addresses.length < 2) return answers;
  for (let i = addresses.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [addresses[i], addresses[j]] = [addresses[j] as Answer, addresses[i] as Answer];
  }
  // loadbalance keeps CNAMEs (and anything else) first, then the shuffled addresses.
  return [...answers.filter((a) => a.type !== 'A' && a.type !== 'AAAA'), ...addresses];
}

const opcodeBits = (query: DecodedPacket): number => ((query.flags ?? 0) >> 11) & 0xf;

function encodeReply(
  query: DecodedPacket,
  reply: Reply,
  transport: Transport,
  random: () => number,
): { buffer: Buffer; truncated: boolean } {
  const opt = query.additionals?.find((a) => a.type === 'OPT');
  const limit =
    transport === 'tcp'
      ? 65535
      : opt
        ? Math.min(Math.max(opt.udpPayloadSize, CLASSIC_UDP_SIZE), MAX_UDP_SIZE)
        : CLASSIC_UDP_SIZE;
  const base = (query.flags ?? 0) & (dnsPacket.RECURSION_DESIRED | dnsPacket.CHECKING_DISABLED | (0xf << 11));
  const flags = base | (reply.authoritative ? dnsPacket.AUTHORITATIVE_ANSWER : 0) | RCODES[reply.rcode];
  const edns: Answer[] = opt
    ? [
        {
          type: 'OPT',
          name: '.',
          udpPayloadSize: MAX_UDP_SIZE,
          extendedRcode: 0,
          ednsVersion: 0,
          flags: 0,
          flag_do: false,
          options: [],
        },
      ]
    : [];
  const full: Packet = {
    type: 'response',
    id: query.id ?? 0,
    flags,
    questions: query.questions ?? [],
    answers: shuffleAddresses(reply.answers, random),
    authorities: reply.authorities,
    additionals: [...reply.additionals, ...edns],
  };
  const buffer = dnsPacket.encode(full);
  if (buffer.length <= limit) return { buffer, truncated: false };
  const cut: Packet = {
    ...full,
    flags: flags | dnsPacket.TRUNCATED_RESPONSE,
    answers: [],
    authorities: [],
    additionals: edns,
  };
  return { buffer: dnsPacket.encode(cut), truncated: true };
}

function flagText(reply: Reply, query: DecodedPacket, truncated: boolean): string {
  return ['qr', reply.authoritative ? 'aa' : '', truncated ? 'tc' : '', query.flag_rd ? 'rd' : '']
    .filter(Boolean)
    .join(',');
}

/** The response to `message`, or undefined when it cannot be answered at all (not a DNS query: dropped,
 *  as CoreDNS drops what miekg/dns cannot parse). */
export function respond(
  view: ClusterView,
  message: Buffer,
  transport: Transport,
  options: RespondOptions,
): Exchange | undefined {
  let query: DecodedPacket;
  try {
    query = dnsPacket.decode(message);
  } catch {
    return undefined;
  }
  if (query.type !== 'query') return undefined;
  const random = options.random ?? Math.random;
  const question = query.questions?.[0];
  const reply: Reply =
    opcodeBits(query) !== 0
      ? { rcode: 'NOTIMP', authoritative: false, answers: [], authorities: [], additionals: [] }
      : !question || (query.questions?.length ?? 0) !== 1
        ? { rcode: 'FORMERR', authoritative: false, answers: [], authorities: [], additionals: [] }
        : answerQuestion(view, question, options);
  const { buffer, truncated } = encodeReply(query, reply, transport, random);
  return {
    response: buffer,
    qname: question ? `${question.name.replace(/\.$/, '')}.` : '.',
    qtype: question?.type ?? '-',
    rcode: reply.rcode,
    flags: flagText(reply, query, truncated),
  };
}
