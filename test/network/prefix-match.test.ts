import assert from 'node:assert/strict';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { CodedError, ErrorCode } from '../../src/errors';
import { parsePrefix, routeMatcher, routeMatches } from '../../src/network/prefix-match';

const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
const v4Prefix = fc.tuple(v4, fc.integer({ min: 0, max: 32 })).map(([a, l]) => `${a}/${l}`);
// ipaddr.js reads "::a.b.c.d" as IPv4-mapped (::ffff:a.b.c.d), unlike RFC 4291, so dotted tails are left to
// the explicit examples and the oracle only sees hex forms.
const v6 = fc.ipV6().filter((a) => !a.includes('.'));
const v6Prefix = fc.tuple(v6, fc.integer({ min: 0, max: 128 })).map(([a, l]) => `${a}/${l}`);

/** The oracle: two prefixes overlap when either contains the other's network address. */
function oracle(route: string, query: string): boolean {
  const parse = (t: string): [ipaddr.IPv4 | ipaddr.IPv6, number] =>
    t.includes('/') ? ipaddr.parseCIDR(t) : [ipaddr.parse(t), ipaddr.parse(t).kind() === 'ipv4' ? 32 : 128];
  const [ra, rl] = parse(route);
  const [qa, ql] = parse(query);
  if (ra.kind() !== qa.kind()) return false;
  return rl <= ql ? qa.match(ra, rl) : ra.match(qa, ql);
}

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
  it('should parse IPv6 forms: compressed, full and with an IPv4 tail', () => {
    assert.equal(parsePrefix('::ffff:10.0.0.1')?.address, 0xffff0a000001n);
    assert.equal(parsePrefix('0:0:0:0:0:0:0:1')?.address, 1n);
    assert.equal(parsePrefix('1::2:3:4:5:6:7:8'), undefined);
  });

  it('should agree with ipaddr.js on IPv4 prefixes and addresses', () => {
    fc.assert(
      fc.property(v4Prefix, fc.oneof(v4, v4Prefix), (route, query) => routeMatches(route, query) === oracle(route, query)),
      { numRuns: 2000 },
    );
  });
  it('should agree with ipaddr.js on IPv6 prefixes and addresses', () => {
    fc.assert(
      fc.property(v6Prefix, fc.oneof(v6, v6Prefix), (route, query) => routeMatches(route, query) === oracle(route, query)),
      { numRuns: 2000 },
    );
  });
  it('should match close neighbours correctly (shared leading bits)', () => {
    // Random pairs rarely overlap; derive the query from the route so both outcomes are exercised.
    fc.assert(
      fc.property(v4Prefix, fc.integer({ min: 0, max: 32 }), fc.nat(0xffffffff), (route, len, noise) => {
        const [addr = '0.0.0.0', rl = '0'] = route.split('/');
        const base = ipaddr.IPv4.parse(addr).toByteArray().reduce((a, b) => a * 256 + b, 0);
        const keep = Number(rl);
        const mask = keep === 0 ? 0 : (0xffffffff << (32 - keep)) >>> 0;
        const mixed = ((base & mask) | (noise & ~mask)) >>> 0;
        const q = `${[24, 16, 8, 0].map((s) => (mixed >>> s) & 255).join('.')}/${len}`;
        return routeMatches(route, q) === oracle(route, q) && routeMatches(route, q) === true;
      }),
      { numRuns: 1000 },
    );
  });
});
