import assert from 'node:assert/strict';
import { assessPrefixCount, familyOf, prefixLimit } from '../../src/network/prefix-limits';

const standard = { tier: 'Standard', family: 'MeteredData' };
const premium = { tier: 'Premium', family: 'UnlimitedData' };

describe('prefix limits', () => {
  it('should allow 4,000 IPv4 prefixes on private peering for Standard and 10,000 for Premium', () => {
    assert.equal(prefixLimit('private', standard), 4000);
    assert.equal(prefixLimit('private', premium), 10000);
  });
  it('should allow 100 IPv6 prefixes on private peering whatever the SKU', () => {
    assert.equal(prefixLimit('private', standard, 'ipv6'), 100);
    assert.equal(prefixLimit('private', premium, 'ipv6'), 100);
  });
  it('should allow 200 prefixes on Microsoft peering, Premium or not', () => {
    assert.equal(prefixLimit('microsoft', standard), 200);
    assert.equal(prefixLimit('microsoft', premium), 200);
  });
  it('should tell an IPv6 neighbour from an IPv4 one', () => {
    assert.equal(familyOf('2001:db8::1'), 'ipv6');
    assert.equal(familyOf('192.168.10.1'), 'ipv4');
  });
  it('should warn from exactly 80% of the limit, not one prefix before', () => {
    assert.equal(assessPrefixCount(3199, 4000).level, 'ok');
    assert.equal(assessPrefixCount(3200, 4000).level, 'warning');
    assert.equal(assessPrefixCount(7999, 10000).level, 'ok');
    assert.equal(assessPrefixCount(8000, 10000).level, 'warning');
    assert.equal(assessPrefixCount(159, 200).level, 'ok');
    assert.equal(assessPrefixCount(160, 200).level, 'warning');
  });
  it('should say "over" at the limit itself', () => {
    assert.equal(assessPrefixCount(3999, 4000).level, 'warning');
    assert.equal(assessPrefixCount(4000, 4000).level, 'over');
    assert.equal(assessPrefixCount(4000, 4000).ratio, 1);
  });
});
