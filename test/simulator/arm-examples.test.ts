import { strict as assert } from 'node:assert';
import { generateCertificate, parseFleet, startSimulator, type CertificatePair } from '../../src/simulator';
import { networkClient } from './sdk-clients';
import { READS, examples, expected, fill, type Body } from '../support/arm-examples';

describe('simulator: ARM examples as fixtures, read back by the real SDK', () => {
  let tls: CertificatePair;
  before(async () => {
    tls = await generateCertificate();
  });

  it('should know how to read every GET/list/POST-read example (writes are the only ones left out)', () => {
    const unread = examples.filter((e) => !READS[e.json.operationId]).map((e) => e.json.operationId);
    for (const op of unread) assert.match(op, /_CreateOrUpdate|_Delete|_UpdateTags/, `no reader for ${op}`);
    assert.ok(examples.filter((e) => READS[e.json.operationId]).length >= 19);
  });

  for (const { file, json } of examples) {
    const reader = READS[json.operationId];
    if (!reader) continue;
    it(`should serve ${file} (${json.operationId}) so the SDK reads it back`, async () => {
      const body = json.responses['200']?.body as Body;
      const key = fill(reader.path, json.parameters);
      const fleet = parseFleet({ [key]: body }, file);
      const sim = await startSimulator({ fleet, tls });
      try {
        const client = networkClient(sim, json.parameters.subscriptionId ?? '');
        assert.deepEqual(await reader.read(client, json.parameters), expected(json.operationId, body));
        assert.ok(sim.requests.length > 0 && sim.requests.every((r) => r.hasBearer && r.status < 300));
      } finally {
        await sim.close();
      }
    });
  }

  it('should accept all read examples together in one fleet', () => {
    const fleet: Record<string, unknown> = {};
    for (const { json } of examples) {
      const reader = READS[json.operationId];
      if (reader) fleet[fill(reader.path, json.parameters)] = json.responses['200']?.body;
    }
    assert.ok(Object.keys(parseFleet(fleet)).length >= 15);
  });
});
