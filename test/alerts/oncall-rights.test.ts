import assert from 'node:assert/strict';
import { textOf } from '../support/cards';
import { alertDirectory, watching, type Watching } from './support/alert-world';

/** On call for Contoso, without `view`: `oncall` implies seeing the alerts, silences and circuits it acts on. */
const ONCALL_ONLY = { aadObjectId: 'al-oncall-only', name: 'Olu' };

describe('alerts: oncall without view', function () {
  this.timeout(60_000);
  let w: Watching;
  before(async () => {
    const directory = alertDirectory() as { people: unknown[] };
    directory.people.push({ ...ONCALL_ONLY, access: { contoso: ['oncall'] } });
    w = await watching([], { directory });
  });
  after(async () => w?.h.stop());

  it('should silence a circuit by name, list the silence and end it', async () => {
    const said = textOf(await w.h.say(ONCALL_ONLY, 'silence contoso/contoso-par-er4 1h provider work'));
    const id = /SI-[0-9A-Z]+/.exec(said)?.[0];
    assert.ok(id, said);
    assert.match(textOf(await w.h.say(ONCALL_ONLY, 'silences')), new RegExp(id));
    assert.match(textOf(await w.h.say(ONCALL_ONLY, `unsilence ${id}`)), /has ended/);
  });
});
