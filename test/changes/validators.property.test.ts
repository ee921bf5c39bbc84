import assert from 'node:assert/strict';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { checkPeerAsn, isPrivateAsn } from '../../src/changes/validators/asn';
import { contains, isAligned, networkOf, overlaps, parseCidr, parseIp } from '../../src/changes/validators/cidr';
import { parseCommunity } from '../../src/changes/validators/community';
import { checkPeeringSubnets } from '../../src/changes/validators/peering-subnets';
import { isValidVlan, vlanClash } from '../../src/changes/validators/vlan';

const toBig = (bytes: number[]) => bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
const v4 = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 });
const v6 = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 16, maxLength: 16 });
// Zero runs make '::' compression likely, which is where IPv6 parsers go wrong.
const v6Sparse = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 255 })), { minLength: 16, maxLength: 16 });

/** Every text form ipaddr.js writes for an address: normalized, RFC 5952 and fully expanded. */
function v6Texts(bytes: number[]): string[] {
  const a = ipaddr.fromByteArray(bytes) as ipaddr.IPv6;
  // Fully expanded with leading zeros ('0db8'): the one form the typings leave out.
  const fixed = a.toNormalizedString().split(':').map((g) => g.padStart(4, '0')).join(':');
  return [a.toString(), a.toRFC5952String(), a.toNormalizedString(), fixed];
}

const oracleCidr = (text: string) => ipaddr.parseCIDR(text);
const oracleOverlap = (a: string, b: string) => {
  const [na, la] = oracleCidr(a);
  const [nb, lb] = oracleCidr(b);
  if (na.kind() !== nb.kind()) return false;
  return la <= lb ? nb.match(na, la) : na.match(nb, lb);
};

describe('validators against independent oracles', () => {
  describe('CIDR (oracle: ipaddr.js)', () => {
    it('should parse every IPv4 address ipaddr.js writes to the same value', () => {
      fc.assert(
        fc.property(v4, (bytes) => {
          const text = ipaddr.fromByteArray(bytes).toString();
          assert.equal(parseIp(text)?.value, toBig(bytes));
          assert.equal(parseIp(text)?.version, 4);
        }),
      );
    });

    it('should parse every IPv6 text form ipaddr.js writes to the same value', () => {
      fc.assert(
        fc.property(fc.oneof(v6, v6Sparse), (bytes) => {
          for (const text of v6Texts(bytes)) assert.equal(parseIp(text)?.value, toBig(bytes), text);
        }),
        { numRuns: 300 },
      );
    });

    it('should accept exactly the strings ipaddr.js accepts as four-part decimal IPv4 or as IPv6', () => {
      const chars = fc.constantFrom(...'0123456789abcdef.:'.split(''));
      fc.assert(
        fc.property(fc.string({ unit: chars, maxLength: 40 }), (text) => {
          const mine = parseIp(text) !== undefined;
          const oracle = text.includes(':') ? ipaddr.IPv6.isValid(text) : ipaddr.IPv4.isValidFourPartDecimal(text) && !/(^|\.)0\d/.test(text);
          assert.equal(mine, oracle, text);
        }),
        { numRuns: 2000 },
      );
    });

    it('should agree on network alignment for IPv4 and IPv6 prefixes', () => {
      fc.assert(
        fc.property(fc.oneof(v4.map((b) => [b, 32] as const), v6.map((b) => [b, 128] as const)), fc.nat(), ([bytes, bits], n) => {
          const len = n % (bits + 1);
          const text = `${ipaddr.fromByteArray(bytes).toString()}/${len}`;
          const r = parseCidr(text);
          assert.ok(r.ok, text);
          const network = ipaddr.fromByteArray(bytes).kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text);
          assert.equal(networkOf(r.cidr), toBig(network.toByteArray()), text);
          assert.equal(isAligned(r.cidr), toBig(network.toByteArray()) === toBig(bytes), text);
        }),
        { numRuns: 500 },
      );
    });

    it('should agree on overlap and containment of two prefixes', () => {
      const prefix = fc.oneof(
        fc.tuple(v4, fc.integer({ min: 0, max: 32 })).map(([b, l]) => `${ipaddr.fromByteArray(b).toString()}/${l}`),
        // Shared high bytes so IPv6 overlaps actually happen.
        fc.tuple(v6Sparse, fc.integer({ min: 0, max: 128 })).map(([b, l]) => `${ipaddr.fromByteArray(b).toString()}/${l}`),
      );
      fc.assert(
        fc.property(prefix, prefix, (a, b) => {
          const [ca, cb] = [parseCidr(a), parseCidr(b)];
          assert.ok(ca.ok && cb.ok);
          assert.equal(overlaps(ca.cidr, cb.cidr), oracleOverlap(a, b), `${a} ${b}`);
          const [na, la] = oracleCidr(a);
          const [nb, lb] = oracleCidr(b);
          const oracleContains = na.kind() === nb.kind() && la <= lb && nb.match(na, la);
          assert.equal(contains(ca.cidr, cb.cidr), oracleContains, `${a} ⊇ ${b}`);
        }),
        { numRuns: 1000 },
      );
    });

    it('should accept a peering pair only when both are aligned /30s (or /126s) that do not overlap', () => {
      const pair = fc.oneof(
        fc.tuple(v4, v4, fc.constantFrom(30, 29, 31)).map(([a, b, l]) => [`${ipaddr.fromByteArray(a).toString()}/${l}`, `${ipaddr.fromByteArray(b).toString()}/${l}`] as const),
        // Neighbouring /30s: the common real case, overlapping or adjacent.
        fc.tuple(v4, fc.integer({ min: -8, max: 8 })).map(([a, d]) => {
          const base = Number(toBig(a) & 0xfffffffcn);
          const other = (base + d * 4 + 4294967296) % 4294967296;
          return [`${ipaddr.fromByteArray(a).toString()}/30`, `${ipaddr.fromByteArray([other >>> 24, (other >>> 16) & 255, (other >>> 8) & 255, other & 255]).toString()}/30`] as const;
        }),
        fc.tuple(v6Sparse, v6Sparse).map(([a, b]) => [`${ipaddr.fromByteArray(a).toString()}/126`, `${ipaddr.fromByteArray(b).toString()}/126`] as const),
      );
      fc.assert(
        fc.property(pair, ([p, s]) => {
          const [np, lp] = oracleCidr(p);
          const [ns, ls] = oracleCidr(s);
          const want = np.kind() === 'ipv4' ? 30 : 126;
          const aligned = (text: string, n: ipaddr.IPv4 | ipaddr.IPv6) =>
            (n.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text)).toString() === n.toString();
          const oracle = lp === want && ls === want && aligned(p, np) && aligned(s, ns) && !oracleOverlap(p, s);
          assert.equal(checkPeeringSubnets(p, s).ok, oracle, `${p} ${s}`);
        }),
        { numRuns: 1000 },
      );
    });
  });

  describe('ASN, VLAN and community (simple independent oracles)', () => {
    it('should accept a peer ASN exactly when it is 1–4294967295 and not 65515–65520', () => {
      const asn = fc.oneof(fc.integer({ min: -10, max: 70_000 }), fc.integer({ min: 4_294_967_200, max: 4_294_967_400 }), fc.double({ noNaN: false }));
      fc.assert(
        fc.property(asn, (n) => {
          const oracle = Number.isInteger(n) && n >= 1 && n <= 2 ** 32 - 1 && !(n >= 65515 && n <= 65520);
          assert.equal(checkPeerAsn(n).ok, oracle, String(n));
        }),
        { numRuns: 3000 },
      );
    });

    it('should call private exactly the RFC 6996 ranges', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n) => {
          const oracle = (n >= 64512 && n <= 65534) || (n >= 4200000000 && n <= 4294967294);
          assert.equal(isPrivateAsn(n), oracle);
        }),
      );
    });

    it('should accept a VLAN exactly when it is a whole number from 1 to 4094, and find clashes', () => {
      fc.assert(
        fc.property(fc.oneof(fc.integer({ min: -5, max: 5000 }), fc.double()), (n) => {
          assert.equal(isValidVlan(n), Number.isInteger(n) && n > 0 && n < 4095);
        }),
      );
      const peerings = [{ name: 'AzurePrivatePeering', vlanId: 100 }, { name: 'MicrosoftPeering', vlanId: 200 }];
      assert.equal(vlanClash(peerings, 200, 'AzurePrivatePeering'), 'MicrosoftPeering');
      assert.equal(vlanClash(peerings, 100, 'azureprivatepeering'), undefined, 'its own VLAN is no clash');
    });

    it('should accept a community exactly when it is 12076: followed by 5 and three or four more digits', () => {
      const text = fc.oneof(
        fc.tuple(fc.constantFrom('12076', '12075', '1207', '120760'), fc.string({ unit: fc.constantFrom(...'0123456789x'.split('')), maxLength: 7 })).map(([a, b]) => `${a}:${b}`),
        fc.string({ maxLength: 12 }),
      );
      fc.assert(
        fc.property(text, (t) => {
          const [asn, value = ''] = t.split(':');
          const digits = value.split('').every((c) => c >= '0' && c <= '9');
          const oracle = t.split(':').length === 2 && asn === '12076' && digits && value.startsWith('5') && (value.length === 4 || value.length === 5);
          const parsed = parseCommunity(t);
          assert.equal(parsed !== undefined, oracle, t);
          if (parsed) assert.equal(parsed.kind, value.length === 4 ? 'service' : 'regional');
        }),
        { numRuns: 3000 },
      );
    });
  });
});
