import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Harness } from '../support/harness';
import { textOf, validCard } from '../support/cards';
import { PEOPLE, approver, changeDirectory } from '../support/change-world';
import { cardBecomes, introduce, requestIdOf } from '../support/change-cards';
import { CIRCUIT_IDS } from '../support/demo-world';

/**
 * `key <id>` (review issue 5): having asked for an authorization once is not a lasting licence to its key.
 * The bot restarts on the same data with a directory where the requester may no longer request changes for
 * the customer; the key is then refused, before Azure is even asked.
 */

const props = (body: unknown) => (body as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};

/** The change directory with the engineer reduced to viewing contoso. */
function withoutRequestRight(): unknown {
  const dir = changeDirectory({ required: 1 }) as { customers: unknown[]; people: { aadObjectId: string; access: unknown }[] };
  return {
    ...dir,
    people: dir.people.map((p) => (p.aadObjectId === PEOPLE.engineer.aadObjectId ? { ...p, access: { contoso: ['view'] } } : p)),
  };
}

describe('bot: key <id> needs the requester’s current request right', function () {
  this.timeout(60_000);
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'erbot-key-')), 'data');
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('shows the key while the requester may request, and refuses it once that right is gone', async () => {
    h = await Harness.start({
      directory: changeDirectory({ required: 1 }),
      env: { DATA_DIR: dataDir },
      changes: { progressUpdateMs: 20, executorLimits: { retryDelayMs: 10 } },
    });
    await introduce(h, PEOPLE.engineer);
    const asked = await h.say(PEOPLE.engineer, 'authorization contoso/contoso-ams-er1 create auth-rights');
    const id = requestIdOf(validCard(asked));
    validCard(await h.say(approver(0), `approve ${id}`));
    await cardBecomes(h, asked.id, (t) => /Succeeded/.test(t));
    const key = props(h.app.simulator!.resource(`${CIRCUIT_IDS.contosoAms}/authorizations/auth-rights`)).authorizationKey as string;
    assert.ok(JSON.stringify(await h.say(PEOPLE.engineer, `key ${id}`)).includes(key), 'with the right, the key is shown');
    await h.stop();

    h = await Harness.start({ directory: withoutRequestRight(), env: { DATA_DIR: dataDir } });
    const refused = await h.say(PEOPLE.engineer, `key ${id}`);
    assert.match(textOf(validCard(refused)), /don't have the right to request changes for Contoso/);
    assert.ok(!JSON.stringify(refused).includes(key));
  });
});
