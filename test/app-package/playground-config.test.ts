import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_PEOPLE } from '../../src/demo/customers';
import { buildDemoDirectory } from '../../src/demo/demo-directory';
import { PLAYGROUND_CONFIG_FILES, playgroundConfig } from '../../scripts/generate-playground-config';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe('Agents Playground users', () => {
  it('should be what scripts/generate-playground-config.ts makes from the demo people', () => {
    assert.equal(read(PLAYGROUND_CONFIG_FILES.engineer), playgroundConfig('engineer'));
    assert.equal(read(PLAYGROUND_CONFIG_FILES.approver), playgroundConfig('approver'));
  });

  it('should make the engineer the default user and the approver the second instance user', () => {
    const current = (text: string) => /currentUser:\n(?: {2}.*\n)*? {2}aadObjectId: "([^"]+)"/.exec(text)?.[1];
    assert.equal(current(read(PLAYGROUND_CONFIG_FILES.engineer)), DEMO_PEOPLE.engineer.aadObjectId);
    assert.equal(current(read(PLAYGROUND_CONFIG_FILES.approver)), DEMO_PEOPLE.approver.aadObjectId);
  });

  it('should hold an engineer, an approver and an on-call person the demo directory knows', () => {
    const text = read(PLAYGROUND_CONFIG_FILES.engineer);
    const ids = [...text.matchAll(/aadObjectId: "([^"]+)"/g)].map((m) => m[1]);
    const people = new Map(buildDemoDirectory().people.map((p) => [p.aadObjectId, p]));
    for (const who of [DEMO_PEOPLE.engineer, DEMO_PEOPLE.approver, DEMO_PEOPLE.oncall]) {
      assert.ok(ids.includes(who.aadObjectId), who.name);
      assert.ok(people.has(who.aadObjectId), `${who.name} is in the demo directory`);
    }
    // The Playground's 0.1.1 schema wants exactly five other users and unique ids.
    assert.equal(ids.length, 6);
    assert.equal(new Set(ids).size, 6);
  });
});
