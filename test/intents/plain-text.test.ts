import assert from 'node:assert/strict';
import { reasonText } from '../../src/intents/plain-text';

describe('reasonText: a rejection reason holds nothing to click', () => {
  it('should remove a host name with a path, which clients link without a scheme', () => {
    assert.equal(reasonText('see evil.com/login now'), 'see (link removed) now');
  });

  it('should remove an angle-bracketed link with its brackets', () => {
    assert.equal(reasonText('see <https://evil.com/x>.'), 'see (link removed).');
  });

  it('should keep version numbers and ratios, which are not links', () => {
    assert.equal(reasonText('plain reason, v2.0 ok, ratio 1.5/2'), 'plain reason, v2.0 ok, ratio 1.5/2');
  });
});
