import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkPeerAsn, isPrivateAsn } from '../../src/changes/validators/asn';
import { parseCommunity } from '../../src/changes/validators/community';
import { checkPeeringSubnets } from '../../src/changes/validators/peering-subnets';
import { isValidVlan, vlanClash } from '../../src/changes/validators/vlan';
import { ipv4Bytes, networkOf, overlapOracle, prefixText, sparseIpv6Bytes, toBig, type OraclePrefix } from '../support/ip-oracle';

describe('validators against independent oracles', () => {
  describe('peering subnets (oracle: bigint arithmetic)', () => {
    it('should accept a peering pair only when both are aligned /30s (or /126s) that do not overlap', () => {
      const pair = fc.oneof(
        fc.tuple(ipv4Bytes, ipv4Bytes, fc.constantFrom(30, 29, 31)).map(
          ([a, b, l]) =>
            [
              { bytes: a, length: l },
              { bytes: b, length: l },
            ] as const,
        ),
        // Neighbouring /30s: the common real case, overlapping or adjacent.
        fc.tuple(ipv4Bytes, fc.integer({ min: -8, max: 8 })).map(([a, d]) => {
          const base = Number(toBig(a) & 0xfffffffcn);
          const other = (base + d * 4 + 4294967296) % 4294967296;
          return [
            { bytes: a, length: 30 },
            { bytes: [other >>> 24, (other >>> 16) & 255, (other >>> 8) & 255, other & 255], length: 30 },
          ] as const;
        }),
        fc.tuple(sparseIpv6Bytes, sparseIpv6Bytes).map(
          ([a, b]) =>
            [
              { bytes: a, length: 126 },
              { bytes: b, length: 126 },
            ] as const,
        ),
      );
      const aligned = (p: OraclePrefix) => networkOf(p) === toBig(p.bytes);
      fc.assert(
        fc.property(pair, ([p, s]) => {
          const want = p.bytes.length === 4 ? 30 : 126;
          const oracle = p.length === want && s.length === want && aligned(p) && aligned(s) && !overlapOracle(p, s);
          assert.equal(checkPeeringSubnets(prefixText(p), prefixText(s)).ok, oracle, `${prefixText(p)} ${prefixText(s)}`);
        }),
        { numRuns: 1000 },
      );
    });
  });

  describe('ASN, VLAN and community (simple independent oracles)', () => {
    it('should accept a peer ASN exactly when it is 1–4294967295 and not 65515–65520', () => {
      const asn = fc.oneof(
        fc.integer({ min: -10, max: 70_000 }),
        fc.integer({ min: 4_294_967_200, max: 4_294_967_400 }),
        fc.double({ noNaN: false }),
      );
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
      const peerings = [
        { name: 'AzurePrivatePeering', vlanId: 100 },
        { name: 'MicrosoftPeering', vlanId: 200 },
      ];
      assert.equal(vlanClash(peerings, 200, 'AzurePrivatePeering'), 'MicrosoftPeering');
      assert.equal(vlanClash(peerings, 100, 'azureprivatepeering'), undefined, 'its own VLAN is no clash');
    });

    it('should accept a community exactly when it is 12076: followed by 5 and three or four more digits', () => {
      const text = fc.oneof(
        fc
          .tuple(
            fc.constantFrom('12076', '12075', '1207', '120760'),
            fc.string({ unit: fc.constantFrom(...'0123456789x'.split('')), maxLength: 7 }),
          )
          .map(([a, b]) => `${a}:${b}`),
        fc.string({ maxLength: 12 }),
      );
      fc.assert(
        fc.property(text, (t) => {
          const [asn, value = ''] = t.split(':');
          const digits = value.split('').every((c) => c >= '0' && c <= '9');
          const oracle =
            t.split(':').length === 2 && asn === '12076' && digits && value.startsWith('5') && (value.length === 4 || value.length === 5);
          const parsed = parseCommunity(t);
          assert.equal(parsed !== undefined, oracle, t);
          if (parsed) assert.equal(parsed.kind, value.length === 4 ? 'service' : 'regional');
        }),
        { numRuns: 3000 },
      );
    });
  });
});
