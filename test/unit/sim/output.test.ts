// -o yaml / json / jsonpath / name as kubectl prints them.
import { describe, expect, test } from 'vitest';
import { formatStructured } from '../../../src/sim/kubectl/printers/output.ts';
import { renderJsonPath } from '../../../src/sim/kubectl/printers/jsonpath.ts';

const list = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      metadata: { name: 'a', creationTimestamp: '2023-06-01T12:00:00Z' },
      status: { podIP: '172.16.158.7' },
      spec: { ports: [{ name: 'web-port', port: 8080 }] },
    },
    {
      metadata: { name: 'b', creationTimestamp: '2023-06-01T12:00:01Z' },
      status: { podIP: '172.16.87.234' },
      spec: { ports: [{ name: 'x', port: 1 }] },
    },
  ],
};

describe('structured output', () => {
  test('jsonpath: [*], range with literals, filters, missing keys print nothing', () => {
    expect(renderJsonPath('{.items[*].status.podIP}', list)).toBe('172.16.158.7 172.16.87.234');
    expect(renderJsonPath('{range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}', list)).toBe(
      'a\t172.16.158.7\nb\t172.16.87.234\n',
    );
    expect(renderJsonPath('{.items[0].spec.ports[?(@.name=="web-port")].port}', list)).toBe('8080');
    expect(renderJsonPath('{.items[0].status.hostIP}', list)).toBe('');
  });

  test('yaml: sorted keys, sequences not indented, timestamps quoted', () => {
    expect(formatStructured('yaml', list.items[0], () => [])).toBe(
      'metadata:\n  creationTimestamp: "2023-06-01T12:00:00Z"\n  name: a\nspec:\n  ports:\n  - name: web-port\n    port: 8080\nstatus:\n  podIP: 172.16.158.7\n',
    );
  });

  test('json: 4-space indent, sorted keys; name: kind/name lines', () => {
    expect(formatStructured('json', { b: 1, a: [2] }, () => [])).toBe(
      '{\n    "a": [\n        2\n    ],\n    "b": 1\n}\n',
    );
    expect(formatStructured('name', {}, () => ['pod/a', 'pod/b'])).toBe('pod/a\npod/b\n');
  });

  test('an unknown format is an error, as in kubectl', () => {
    expect(() => formatStructured('xml', {}, () => [])).toThrow(
      /unable to match a printer suitable for the output format "xml"/,
    );
  });
});
