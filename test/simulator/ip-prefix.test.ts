import { strict as assert } from 'node:assert';
import { isIPv4, isIPv6 } from 'node:net';
import fc from 'fast-check';
import { hostOf, ipv4Plus, isNetworkAddress, parsePrefix, prefixesOverlap, subnetAt } from '../../src/simulator/ip-prefix';

const must = (text: string) => {
  const p = parsePrefix(text);
  assert.ok(p, `expected ${text} to parse`);
  return p;
};

describe('simulator: IP prefixes', () => {
  it('should read IPv4 and IPv6 prefixes and name their network as ARM would want it written', () => {
    assert.equal(must('10.0.0.1/30').text, '10.0.0.0/30');
    assert.equal(must(' 10.0.0.0/30 ').text, '10.0.0.0/30');
    assert.equal(must('2001:DB8:0:0:1:0:0:1/126').text, '2001:db8:0:0:1::/126');
    assert.equal(must('2001:db8::/32').length, 32);
    assert.equal(isNetworkAddress(must('10.0.0.0/30')), true);
    assert.equal(isNetworkAddress(must('10.0.0.1/30')), false);
  });

  it('should read a dotted IPv6 tail as the last two groups (RFC 4291), not as IPv4-mapped', () => {
    assert.equal(must('::1.2.3.4/128').text, '::102:304/128');
    assert.equal(must('::ffff:10.0.0.1/128').text, '::ffff:a00:1/128');
  });

  it('should refuse what is not a prefix: bad octets, leading zeros, zones, missing or too long lengths', () => {
    for (const text of [
      '999.0.0.0/30',
      '010.0.0.0/30',
      '10.0.0/24',
      '10.0.0.0',
      '10.0.0.0/33',
      '10.0.0.0/1234',
      '10.0.0.0/30/1',
      '::/129',
      '1::2:3:4:5:6:7:8/64',
      '12345::/64',
      'fe80::1%eth0/64',
      '::ffff:010.0.0.1/128',
    ]) {
      assert.equal(parsePrefix(text), undefined, text);
    }
  });

  it('should agree with node:net on which addresses are valid', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('00', '01', '0x1', ''));
    const v4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
    const group = fc.oneof(
      fc.integer({ min: 0, max: 0xfffff }).map((n) => n.toString(16)),
      fc.constantFrom('', '0', '0000', '00000'),
    );
    const v6 = fc.array(group, { minLength: 1, maxLength: 9 }).map((g) => g.join(':'));
    fc.assert(
      fc.property(
        fc.oneof(
          v4,
          v6,
          fc.tuple(v6, v4).map(([a, b]) => `${a}:${b}`),
        ),
        (ip) => {
          assert.equal(parsePrefix(`${ip}/0`) !== undefined, isIPv4(ip) || isIPv6(ip), ip);
        },
      ),
    );
  });

  it('should find overlap only between prefixes of one family that share addresses', () => {
    assert.equal(prefixesOverlap(must('10.0.0.0/8'), must('10.20.0.0/16')), true);
    assert.equal(prefixesOverlap(must('10.0.0.0/30'), must('10.0.0.4/30')), false);
    assert.equal(prefixesOverlap(must('0.0.0.0/0'), must('::/0')), false);
    assert.equal(prefixesOverlap(must('2001:db8::/126'), must('2001:db8::2/127')), true);
  });

  it('should hand out the addresses and subnets the fleet generators use', () => {
    assert.equal(hostOf('10.1.0.0/30', 1), '10.1.0.1');
    assert.equal(hostOf('10.100.0.0/16', 5), '10.100.0.5');
    assert.equal(ipv4Plus('10.64.0.0', 9000 * 256), '10.99.40.0');
    assert.equal(subnetAt('192.168.40.7/24', 30, 0), '192.168.40.0/30');
    assert.equal(subnetAt('192.168.40.0/24', 30, 1), '192.168.40.4/30');
    assert.throws(() => ipv4Plus('10.0.0', 1), /not an IPv4 address/);
  });
});
