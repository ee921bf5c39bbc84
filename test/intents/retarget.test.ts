import assert from 'node:assert/strict';
import { parseCommand } from '../../src/intents/parse-command';
import { retarget } from '../../src/intents/retarget';

describe('retarget: what a "did you mean" button runs', () => {
  it('should ask the same typed change about the suggested circuit', () => {
    const intent = parseCommand('peering contoso/er9 private vlan 100');
    assert.deepEqual(retarget(intent, 'contoso/er1'), { ...intent, target: 'contoso/er1' });
  });

  it('should never carry a typed secret (a field a kind declares secret) into button data', () => {
    const intent = parseCommand('peering contoso/er9 private vlan 100 key S3cret-Key');
    assert.equal(retarget(intent, 'contoso/er1'), undefined);
  });

  it('should drop the page and --fresh of a table', () => {
    assert.deepEqual(retarget(parseCommand('routes er9 page 3 --fresh'), 'er1'), { kind: 'routes', circuit: 'er1' });
  });
});
