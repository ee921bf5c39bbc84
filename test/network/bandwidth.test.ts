import assert from 'node:assert/strict';
import { CodedError, ErrorCode } from '../../src/errors';
import { allowedUpgrades, checkBandwidthChange, formatBandwidth, parseBandwidthMbps } from '../../src/network/bandwidth';
import { circuit } from './circuit-fixture';

function direct(bandwidthGbps: number, portGbps?: number) {
  const d: { portId: string; bandwidthInGbps: number; portBandwidthInGbps?: number } = {
    portId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/expressRoutePorts/port1',
    bandwidthInGbps: bandwidthGbps,
  };
  if (portGbps !== undefined) d.portBandwidthInGbps = portGbps;
  const { provider: _p, ...rest } = circuit({ bandwidthMbps: bandwidthGbps * 1000, direct: d });
  return rest;
}

describe('bandwidth', () => {
  describe('parseBandwidthMbps', () => {
    const good: [string, number][] = [
      ['2 Gbps', 2000],
      ['2gbps', 2000],
      ['2G', 2000],
      ['2000', 2000],
      ['2000 Mbps', 2000],
      ['500m', 500],
      ['  50 MBPS ', 50],
      ['1.5 Gbps', 1500],
      ['10 Gbit/s', 10000],
      ['100G', 100000],
    ];
    for (const [input, mbps] of good) {
      it(`should read '${input}' as ${mbps} Mbps`, () => assert.equal(parseBandwidthMbps(input), mbps));
    }
    for (const bad of ['', 'fast', '2 TB', '-5', '0', '2.5', '1e3', 'G2', '2 Gbps please']) {
      it(`should refuse '${bad}' with BadInput and examples`, () => {
        assert.throws(
          () => parseBandwidthMbps(bad),
          (e: unknown) => e instanceof CodedError && e.code === ErrorCode.BadInput && /2 Gbps/.test(e.hint ?? ''),
        );
      });
    }
  });

  it('should format whole and fractional bandwidths', () => {
    assert.equal(formatBandwidth(500), '500 Mbps');
    assert.equal(formatBandwidth(2000), '2 Gbps');
    assert.equal(formatBandwidth(1500), '1.5 Gbps');
  });

  describe('allowedUpgrades', () => {
    it('should offer the provider steps above the current one', () => {
      assert.deepEqual(allowedUpgrades(circuit({ bandwidthMbps: 50 })), [100, 200, 500, 1000, 2000, 5000, 10000]);
      assert.deepEqual(allowedUpgrades(circuit({ bandwidthMbps: 1000 })), [2000, 5000, 10000]);
      assert.deepEqual(allowedUpgrades(circuit({ bandwidthMbps: 10000 })), []);
    });
    it('should offer 10G-port Direct steps up to 10 Gbps', () => {
      assert.deepEqual(allowedUpgrades(direct(1, 10)), [2000, 5000, 10000]);
      assert.deepEqual(allowedUpgrades(direct(10, 10)), []);
    });
    it('should offer 100G-port Direct steps 5/10/40/100 Gbps', () => {
      assert.deepEqual(allowedUpgrades(direct(5, 100)), [10000, 40000, 100000]);
      assert.deepEqual(allowedUpgrades(direct(40, 100)), [100000]);
    });
    it('should infer a 100G port from a bandwidth over 10 Gbps when the port size is unknown', () => {
      assert.deepEqual(allowedUpgrades(direct(40)), [100000]);
      assert.deepEqual(allowedUpgrades(direct(2)), [5000, 10000]);
    });
  });

  describe('checkBandwidthChange', () => {
    const c = circuit({ bandwidthMbps: 1000 });
    it('should accept an offered increase', () => {
      assert.deepEqual(checkBandwidthChange(c, 2000), { ok: true, fromMbps: 1000, toMbps: 2000 });
    });
    it('should refuse a decrease and say to create a smaller circuit', () => {
      const r = checkBandwidthChange(c, 500);
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.kind, 'decrease');
      assert.match(r.alternative, /new, smaller circuit.*delete the old/i);
    });
    it('should refuse a value the model does not offer and list the allowed ones', () => {
      const r = checkBandwidthChange(c, 3000);
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.kind, 'not-offered');
      assert.match(r.alternative, /2 Gbps, 5 Gbps, 10 Gbps/);
    });
    it('should refuse 40 Gbps on a 10G Direct port', () => {
      const r = checkBandwidthChange(direct(5, 10), 40000);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.reason, /10 Gbps port/);
    });
    it('should refuse the same value', () => {
      const r = checkBandwidthChange(c, 1000);
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.kind, 'same');
    });
  });
});
