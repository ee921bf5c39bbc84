import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CodedError, ErrorCode } from '../../src/errors';
import { routeMatcher, routeMatches } from '../../src/network/prefix-match';
import {
  addressText,
  ipv4Bytes,
  neighbourOf,
  oraclePrefix,
  overlapOracle,
  prefixText,
  sparseIpv6Bytes,
  type OraclePrefix,
} from '../support/ip-oracle';

/** A query is a prefix or a bare address, which means one host. */
const query: fc.Arbitrary<[text: string, prefix: OraclePrefix]> = fc.oneof(
  oraclePrefix.map((p) => [prefixText(p), p] as [string, OraclePrefix]),
  fc.oneof(ipv4Bytes, sparseIpv6Bytes).map((bytes) => [addressText(bytes), { bytes, length: bytes.length * 8 }] as [string, OraclePrefix]),
);

describe('prefix matching', () => {
  it('should match a route containing the queried address or prefix, and one inside it', () => {
    assert.equal(routeMatches('10.0.0.0/8', '10.1.2.3'), true);
    assert.equal(routeMatches('10.1.0.0/16', '10.0.0.0/8'), true);
    assert.equal(routeMatches('10.1.0.0/16', '10.2.0.0/16'), false);
    assert.equal(routeMatches('0.0.0.0/0', '192.0.2.1'), true);
    assert.equal(routeMatches('2001:db8::/32', '2001:db8:1::/48'), true);
    assert.equal(routeMatches('2001:db8::/32', '10.0.0.0/8'), false);
  });
  it('should read router networks printed without a length as classful', () => {
    assert.equal(routeMatches('10.0.0.0', '10.9.9.9'), true);
    assert.equal(routeMatches('172.16.0.0', '172.16.200.1'), true);
    assert.equal(routeMatches('192.168.1.0', '192.168.2.1'), false);
  });
  it('should not match a route it cannot parse, rather than throw', () => {
    assert.equal(routeMatches('garbage', '10.0.0.0/8'), false);
  });
  for (const bad of ['10.0.0', '10.0.0.0/33', '256.1.1.1', '10.1.1.1/8x', 'fe80::1::2', 'contoso', '010.0.0.1', '']) {
    it(`should refuse the query '${bad}' with BadInput and an example`, () => {
      assert.throws(
        () => routeMatcher(bad),
        (e: unknown) => e instanceof CodedError && e.code === ErrorCode.BadInput && /10\.1\.0\.0\/16/.test(e.hint ?? ''),
      );
    });
  }
  it('should match exactly the routes an independent oracle says overlap the query, IPv4 and IPv6', () => {
    fc.assert(
      fc.property(oraclePrefix, query, (route, [text, q]) => routeMatches(prefixText(route), text) === overlapOracle(route, q)),
      { numRuns: 2000 },
    );
  });
  it('should match close neighbours correctly (shared leading bits)', () => {
    // Random pairs rarely overlap; derive the query from the route so both outcomes are exercised.
    fc.assert(
      fc.property(
        oraclePrefix,
        fc.nat(128),
        fc.array(fc.nat(255), { minLength: 16, maxLength: 16 }),
        fc.nat(128),
        (route, keep, noise, length) => {
          const q = neighbourOf(route, keep, noise, length);
          return routeMatches(prefixText(route), prefixText(q)) === overlapOracle(route, q);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
