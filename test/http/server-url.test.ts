import { describe, expect, it } from 'vitest';
import { advertiseHostProblem, isWildcardHost, serverUrl } from '../../src/http/server-url.js';

describe('serverUrl', () => {
  it('shows the bind host, a wildcard as 127.0.0.1, IPv6 in brackets', () => {
    expect(serverUrl('127.0.0.1', 8081)).toBe('http://127.0.0.1:8081');
    expect(serverUrl('10.1.2.3', 8081)).toBe('http://10.1.2.3:8081');
    expect(serverUrl('0.0.0.0', 8081)).toBe('http://127.0.0.1:8081');
    expect(serverUrl('::', 8081)).toBe('http://127.0.0.1:8081');
    expect(serverUrl('::1', 8081)).toBe('http://[::1]:8081');
    expect(serverUrl('localhost', 0)).toBe('http://localhost:0');
  });

  it('announces a wildcard bind at the advertise host', () => {
    expect(serverUrl('0.0.0.0', 9090, '10.244.1.17')).toBe('http://10.244.1.17:9090');
    expect(serverUrl('::', 9090, 'worker-1.dynamo.svc')).toBe('http://worker-1.dynamo.svc:9090');
    expect(serverUrl('0.0.0.0', 9090, 'fd00::17')).toBe('http://[fd00::17]:9090');
    expect(serverUrl('[::]', 9090, '[fd00::17]')).toBe('http://[fd00::17]:9090');
  });

  it('announces a server bound to one address at that address, the only one it answers on', () => {
    expect(serverUrl('127.0.0.1', 9090, 'worker-1.dynamo.svc')).toBe('http://127.0.0.1:9090');
    expect(serverUrl('10.244.1.17', 9090, 'worker-1.dynamo.svc')).toBe('http://10.244.1.17:9090');
  });

  it('knows the wildcard binds', () => {
    expect(['0.0.0.0', '::', '[::]', '127.0.0.1', '::1', ''].map(isWildcardHost)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});

describe('advertiseHostProblem', () => {
  it('accepts DNS names, IPv4 addresses and IPv6 literals', () => {
    for (const host of [
      'worker-1.dynamo.svc.cluster.local',
      'node7',
      '10.244.1.17',
      'fd00::17',
      '[fd00::17]',
    ])
      expect(advertiseHostProblem(host), host).toBeUndefined();
  });

  it('refuses what is not a host alone, saying why', () => {
    expect(advertiseHostProblem('')).toBe('it is empty');
    expect(advertiseHostProblem('0.0.0.0')).toBe(
      'a wildcard address cannot be dialled; name an address of this machine',
    );
    expect(advertiseHostProblem('::')).toBe(
      'a wildcard address cannot be dialled; name an address of this machine',
    );
    expect(advertiseHostProblem('http://worker-1')).toBe('a host has no scheme, path, credentials or spaces');
    expect(advertiseHostProblem('worker-1/metrics')).toBe(
      'a host has no scheme, path, credentials or spaces',
    );
    expect(advertiseHostProblem('user@worker-1')).toBe('a host has no scheme, path, credentials or spaces');
    expect(advertiseHostProblem('worker 1')).toBe('a host has no scheme, path, credentials or spaces');
    expect(advertiseHostProblem('worker-1:8080')).toBe('it is not a host name or an IP address');
    expect(advertiseHostProblem('[fd00::17]:8080')).toBe('give the host alone, without a port');
    expect(advertiseHostProblem('wor<ker')).toBe('it is not a host name or an IP address');
  });
});
