import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import fc from 'fast-check';
import {
  contains,
  type IpPrefix,
  isAligned,
  looksLikePrefix,
  mustParsePrefix,
  overlaps,
  parseAddress,
  parsePrefix,
  type ParsePrefixOptions,
} from '../../src/network/ip-prefix';
import {
  addressText,
  containsOracle,
  ipv4Bytes,
  ipv6Bytes,
  ipv6Texts,
  neighbourOf,
  networkText,
  oraclePrefix,
  overlapOracle,
  prefixText,
  sparseIpv6Bytes,
} from '../support/ip-oracle';

function parsed(text: string, options?: ParsePrefixOptions): IpPrefix {
  const r = parsePrefix(text, options);
  assert.ok(r.ok, `${text}: ${r.ok ? '' : r.reason}`);
  return r.prefix;
}

function reason(text: string, options?: ParsePrefixOptions): string {
  const r = parsePrefix(text, options);
  assert.ok(!r.ok, `${text} should be refused`);
  return r.reason;
}

const summary = (p: IpPrefix) => ({
  version: p.version,
  address: p.address,
  prefixLength: p.prefixLength,
  text: p.text,
  aligned: isAligned(p),
});

describe('ip-prefix', () => {
  describe('parsePrefix', () => {
    it('should read an IPv4 prefix and give its network in canonical text', () => {
      assert.deepEqual(summary(parsed('10.0.0.0/30')), {
        version: 4,
        address: '10.0.0.0',
        prefixLength: 30,
        text: '10.0.0.0/30',
        aligned: true,
      });
      assert.deepEqual(summary(parsed('  145.14.8.0/24\t')), {
        version: 4,
        address: '145.14.8.0',
        prefixLength: 24,
        text: '145.14.8.0/24',
        aligned: true,
      });
    });

    it('should keep the address as written but name the network when host bits are set', () => {
      assert.deepEqual(summary(parsed('10.0.0.1/30')), {
        version: 4,
        address: '10.0.0.1',
        prefixLength: 30,
        text: '10.0.0.0/30',
        aligned: false,
      });
      assert.deepEqual(summary(parsed('2001:db8::1/126')), {
        version: 6,
        address: '2001:db8::1',
        prefixLength: 126,
        text: '2001:db8::/126',
        aligned: false,
      });
    });

    it('should refuse host bits when asked to, saying which network was meant', () => {
      assert.equal(reason('10.0.0.1/30', { hostBits: 'refuse' }), '10.0.0.1/30 has host bits set; did you mean 10.0.0.0/30?');
      assert.equal(reason('2001:DB8::7/126', { hostBits: 'refuse' }), '2001:DB8::7/126 has host bits set; did you mean 2001:db8::4/126?');
      assert.equal(parsed('10.0.0.4/30', { hostBits: 'refuse' }).text, '10.0.0.4/30');
    });

    it('should read IPv6 in any case and form and write it as RFC 5952', () => {
      const p = parsed('2001:0DB8:0000:0000:0000:0000:0000:0001/64');
      assert.deepEqual(summary(p), { version: 6, address: '2001:db8::1', prefixLength: 64, text: '2001:db8::/64', aligned: false });
      assert.equal(parsed('2001:db8:0:0:1:0:0:1/128').address, '2001:db8::1:0:0:1', 'the first of two equal zero runs is compressed');
      assert.equal(parsed('2001:db8:0:1:1:1:1:1/128').address, '2001:db8:0:1:1:1:1:1', 'a single zero group is not compressed');
    });

    it('should read a dotted IPv4 tail as the last two groups, as RFC 4291 does', () => {
      assert.equal(parsed('::ffff:10.0.0.1/128').address, '::ffff:a00:1');
      assert.equal(parsed('64:ff9b::192.0.2.1/128').address, '64:ff9b::c000:201');
      // ipaddr.js alone would read this as IPv4-mapped ::ffff:102:304.
      assert.equal(parsed('::1.2.3.4/128').address, '::102:304');
    });

    it('should take the edge prefix lengths /0, /32 and /128', () => {
      assert.deepEqual(summary(parsed('0.0.0.0/0')), { version: 4, address: '0.0.0.0', prefixLength: 0, text: '0.0.0.0/0', aligned: true });
      assert.deepEqual(summary(parsed('192.0.2.77/0')), {
        version: 4,
        address: '192.0.2.77',
        prefixLength: 0,
        text: '0.0.0.0/0',
        aligned: false,
      });
      assert.deepEqual(summary(parsed('::/0')), { version: 6, address: '::', prefixLength: 0, text: '::/0', aligned: true });
      assert.deepEqual(summary(parsed('255.255.255.255/32')), {
        version: 4,
        address: '255.255.255.255',
        prefixLength: 32,
        text: '255.255.255.255/32',
        aligned: true,
      });
      assert.deepEqual(summary(parsed('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128')), {
        version: 6,
        address: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
        prefixLength: 128,
        text: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128',
        aligned: true,
      });
      assert.equal(reason('10.0.0.0/33'), "'10.0.0.0/33': an IPv4 prefix length is at most 32");
      assert.equal(reason('2001:db8::/129'), "'2001:db8::/129': an IPv6 prefix length is at most 128");
      assert.equal(parsed('2001:db8::/32').text, '2001:db8::/32', '/32 is an ordinary IPv6 length');
    });

    it('should say what is wrong with garbage, never echoing more than 50 characters', () => {
      const notPrefix = (t: string) => `'${t}' is not a prefix: write it as address/length, e.g. 10.0.0.0/30`;
      for (const t of [
        '',
        '10.0.0.0',
        '10.0.0.0/',
        '10.0.0.0/8/9',
        '10.0.0.0 /8',
        '10.0.0.0/-1',
        '10.0.0.0/1234',
        '10.0.0.0/8x',
        '10.0.0.0/eight',
      ]) {
        assert.equal(reason(t), notPrefix(t), t);
      }
      assert.equal(reason('10.0.0.0/08'), "'10.0.0.0/08' has a prefix length with a leading zero");
      assert.equal(reason(`${'1'.repeat(60)}/8`), `'${'1'.repeat(50)}…' does not start with a valid IPv4 or IPv6 address`);
    });

    const badAddresses = [
      'contoso/8',
      '10.0.0/24',
      '10.1/16',
      '1.2.3.4.5/8',
      '256.0.0.0/8',
      '010.0.0.0/8',
      '0x0a.0.0.0/8',
      '1.2.3.-4/8',
      'fe80::1%eth0/64',
      '1::2::3/64',
      '1:2:3:4:5:6:7:8:9/64',
      '1:2:3:4:5:6:7/64',
      '1:2:3:4:5:6:7:8::/64',
      ':1:2:3:4:5:6:7/64',
      '12345::/16',
      'g::/16',
      ':::/0',
      '1.2.3.4::/64',
      ':1.2.3.4/128',
      '::1.2.3/128',
      '::ffff:010.0.0.1/128',
      '::ffff:1.2.3.256/128',
      '::ffff:0x1.2.3.4/128',
      '1:2:3:4:5:6:7:1.2.3.4/128',
    ];
    for (const bad of badAddresses) {
      it(`should refuse ${bad} as not starting with an address`, () => {
        assert.equal(reason(bad), `'${bad}' does not start with a valid IPv4 or IPv6 address`);
      });
    }

    it('should read a bare address as one host, or classful, only when asked to', () => {
      assert.equal(parsed('10.1.2.3', { bareAddress: 'host' }).text, '10.1.2.3/32');
      assert.equal(parsed('2001:DB8::1', { bareAddress: 'host' }).text, '2001:db8::1/128');
      assert.equal(parsed('10.0.0.0', { bareAddress: 'classful' }).text, '10.0.0.0/8');
      assert.equal(parsed('127.255.0.0', { bareAddress: 'classful' }).text, '127.0.0.0/8');
      assert.equal(parsed('172.16.0.0', { bareAddress: 'classful' }).text, '172.16.0.0/16');
      assert.equal(parsed('191.255.0.0', { bareAddress: 'classful' }).text, '191.255.0.0/16');
      assert.equal(parsed('192.168.1.0', { bareAddress: 'classful' }).text, '192.168.1.0/24');
      assert.equal(parsed('2001:db8::', { bareAddress: 'classful' }).text, '2001:db8::/128', 'IPv6 has no classes');
      assert.equal(parsed('10.0.0.0/16', { bareAddress: 'classful' }).text, '10.0.0.0/16', 'a written length wins');
      assert.equal(reason('contoso', { bareAddress: 'host' }), "'contoso' is not a valid IPv4 or IPv6 address");
    });
  });

  describe('parseAddress', () => {
    it('should read an address in canonical text, with no length', () => {
      assert.deepEqual(parseAddress('10.0.0.1'), { version: 4, text: '10.0.0.1' });
      assert.deepEqual(parseAddress(' 2001:DB8:0::1 '), { version: 6, text: '2001:db8::1' });
      assert.deepEqual(parseAddress('::'), { version: 6, text: '::' });
    });
    for (const bad of ['', '10.0.0.1/32', '10.0.0', '01.2.3.4', '10.0.0.256', 'fe80::1%eth0', '::ffff:1.2.3.04', 'router1']) {
      it(`should refuse '${bad}'`, () => assert.equal(parseAddress(bad), undefined));
    }
  });

  describe('overlaps and contains', () => {
    const p = mustParsePrefix;
    it('should see a prefix inside another from both sides, but containment only one way', () => {
      assert.equal(overlaps(p('10.0.0.0/8'), p('10.1.0.0/16')), true);
      assert.equal(overlaps(p('10.1.0.0/16'), p('10.0.0.0/8')), true);
      assert.equal(contains(p('10.0.0.0/8'), p('10.1.0.0/16')), true);
      assert.equal(contains(p('10.1.0.0/16'), p('10.0.0.0/8')), false);
      assert.equal(contains(p('2001:db8::/32'), p('2001:db8:ffff::/48')), true);
      assert.equal(contains(p('2001:db8::/32'), p('2001:db9::/48')), false);
    });
    it('should not let adjacent prefixes overlap', () => {
      assert.equal(overlaps(p('10.0.0.0/30'), p('10.0.0.4/30')), false);
      assert.equal(overlaps(p('2001:db8::/126'), p('2001:db8::4/126')), false);
      assert.equal(overlaps(p('10.0.0.0/30'), p('10.0.0.3/32')), true);
    });
    it('should compare networks, not the addresses as written', () => {
      assert.equal(overlaps(p('10.0.0.1/30'), p('10.0.0.2/30')), true);
      assert.equal(contains(p('10.0.0.3/30'), p('10.0.0.0/32')), true);
    });
    it('should treat /0 as everything of its own family only', () => {
      assert.equal(contains(p('0.0.0.0/0'), p('203.0.113.9/32')), true);
      assert.equal(contains(p('::/0'), p('2001:db8::1/128')), true);
      assert.equal(overlaps(p('0.0.0.0/0'), p('::/0')), false);
      assert.equal(contains(p('::/0'), p('10.0.0.0/8')), false);
      assert.equal(overlaps(p('::ffff:0:0/96'), p('10.0.0.0/8')), false, 'IPv4-mapped space is IPv6');
    });
    it('should make a host prefix overlap and contain only itself', () => {
      assert.equal(contains(p('192.0.2.1/32'), p('192.0.2.1/32')), true);
      assert.equal(overlaps(p('192.0.2.1/32'), p('192.0.2.2/32')), false);
      assert.equal(overlaps(p('2001:db8::1/128'), p('2001:db8::1/128')), true);
      assert.equal(overlaps(p('2001:db8::1/128'), p('2001:db8::/128')), false);
    });
  });

  describe('mustParsePrefix', () => {
    it('should throw the reason for a bad constant', () => {
      assert.throws(() => mustParsePrefix('10.0.0.0/33'), /an IPv4 prefix length is at most 32/);
    });
  });

  describe('looksLikePrefix', () => {
    it('should tell a mistyped prefix from a word', () => {
      for (const s of ['10.0.0.300/8', '10.0.0.0/33', '10.0.0', '2001:db8::/', 'fe80::1::2']) assert.equal(looksLikePrefix(s), true, s);
      for (const s of ['contoso', 'er1', '12', 'primary']) assert.equal(looksLikePrefix(s), false, s);
    });
  });

  describe('against an independent oracle (bigint arithmetic, Node’s isIP)', () => {
    it('should read every IPv4 prefix to the network the oracle computes', () => {
      fc.assert(
        fc.property(ipv4Bytes, fc.integer({ min: 0, max: 32 }), (bytes, length) => {
          const p = parsed(`${bytes.join('.')}/${length}`);
          assert.equal(p.address, bytes.join('.'));
          assert.equal(p.text, networkText({ bytes, length }));
          assert.equal(isAligned(p), p.text === `${p.address}/${length}`);
        }),
        { numRuns: 500 },
      );
    });

    it('should read every text form of an IPv6 address to the same canonical address and network', () => {
      fc.assert(
        fc.property(fc.oneof(ipv6Bytes, sparseIpv6Bytes), fc.integer({ min: 0, max: 128 }), (bytes, length) => {
          for (const text of ipv6Texts(bytes)) {
            assert.equal(parseAddress(text)?.text, addressText(bytes), text);
            assert.equal(parsed(`${text}/${length}`).text, networkText({ bytes, length }), text);
          }
        }),
        { numRuns: 300 },
      );
    });

    it('should accept exactly the addresses Node accepts, without zone ids', () => {
      const chars = fc.constantFrom(...'0123456789abcdefABCDEF.:'.split(''));
      fc.assert(
        fc.property(fc.string({ unit: chars, maxLength: 40 }), (text) => {
          assert.equal(parseAddress(text) !== undefined, isIP(text) !== 0, text);
        }),
        { numRuns: 3000 },
      );
    });

    it('should agree on overlap and containment, for random and for close prefixes', () => {
      const pair = fc.oneof(
        fc.tuple(oraclePrefix, oraclePrefix),
        // Random pairs rarely overlap; derive the second from the first so both outcomes are common.
        fc
          .tuple(oraclePrefix, fc.nat(128), ipv6Bytes, fc.nat(128))
          .map(([a, keep, noise, length]) => [a, neighbourOf(a, keep, noise, length)] as const),
      );
      fc.assert(
        fc.property(pair, ([a, b]) => {
          const [pa, pb] = [parsed(prefixText(a)), parsed(prefixText(b))];
          const why = `${prefixText(a)} ${prefixText(b)}`;
          assert.equal(overlaps(pa, pb), overlapOracle(a, b), why);
          assert.equal(overlaps(pb, pa), overlapOracle(a, b), why);
          assert.equal(contains(pa, pb), containsOracle(a, b), why);
          assert.equal(contains(pb, pa), containsOracle(b, a), why);
        }),
        { numRuns: 1000 },
      );
    });
  });
});
