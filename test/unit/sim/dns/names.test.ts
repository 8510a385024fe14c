import { describe, expect, test } from 'vitest';
import {
  addressFromReverse,
  endpointHostname,
  matchZone,
  parseRequest,
} from '../../../../src/sim/dns/names.ts';
import { SIM_CONFIG_PATH as DNS_SIM_CONFIG_PATH } from '../../../../src/sim/dns/faults.ts';
import { SIM_CONFIG_PATH } from '../../../../src/sim/apiserver/server.ts';

describe('names as CoreDNS parses them', () => {
  test.each([
    [
      'svc.default.svc',
      { service: 'svc', namespace: 'default', podOrSvc: 'svc', endpoint: '', port: '', protocol: '' },
    ],
    ['ep.svc.default.svc', { service: 'svc', namespace: 'default', podOrSvc: 'svc', endpoint: 'ep' }],
    ['_http._tcp.svc.default.svc', { service: 'svc', port: 'http', protocol: 'tcp', endpoint: '' }],
    ['1-2-3-4.default.pod', { service: '1-2-3-4', namespace: 'default', podOrSvc: 'pod' }],
    ['default.svc', { service: '', namespace: 'default', podOrSvc: 'svc' }],
    ['svc', { podOrSvc: '' }],
  ])('%s.cluster.local', (base, expected) => {
    expect(parseRequest(`${base}.cluster.local`, 'cluster.local')).toMatchObject(expected);
  });

  test('neither svc nor pod, or too many labels, is invalid (NXDOMAIN)', () => {
    expect(parseRequest('svc.default.cluster.local', 'cluster.local')).toBeUndefined();
    expect(parseRequest('a.b.c.svc.default.svc.cluster.local', 'cluster.local')).toBeUndefined();
  });

  test('the longest zone wins; a name outside every zone has none', () => {
    expect(matchZone('x.cluster.local', ['local', 'cluster.local'])).toBe('cluster.local');
    expect(matchZone('cluster.local', ['cluster.local'])).toBe('cluster.local');
    expect(matchZone('notcluster.local', ['cluster.local'])).toBeUndefined();
  });

  test('reverse names to addresses', () => {
    expect(addressFromReverse('10.0.17.172.in-addr.arpa')).toBe('172.17.0.10');
    expect(addressFromReverse('17.172.in-addr.arpa')).toBeUndefined();
    expect(addressFromReverse(`1.${'0.'.repeat(31)}ip6.arpa`)).toBe('0:0:0:0:0:0:0:1');
    expect(addressFromReverse(`1.${'0.'.repeat(30)}ip6.arpa`)).toBeUndefined();
  });

  test('endpoint labels: the hostname, else the address with dashes', () => {
    expect(endpointHostname('172.16.0.5', '')).toBe('172-16-0-5');
    expect(endpointHostname('172.16.0.5', 'web-0')).toBe('web-0');
    expect(endpointHostname('fd00::', '')).toBe('fd00--0');
  });

  test("the sim-config path the DNS polls is the apiserver's", () => {
    expect(DNS_SIM_CONFIG_PATH).toBe(SIM_CONFIG_PATH);
  });
});
