import assert from 'node:assert/strict';
import { Access } from '../../src/directory/access';
import { buildDemoDirectory } from '../../src/demo/demo-directory';
import { personInRoom, type Room } from '../../src/app/room-scope';
import { elsewhereNote, suggestionsNote, unlinkedCard, unlinkedMeanwhileNote } from '../../src/app/room-notes';
import { roomIdOf } from '../../src/app/who';

describe('app: the asker as a shared conversation sees them', () => {
  const directory = buildDemoDirectory();
  const access = new Access(directory);
  const [contoso, fabrikam] = directory.customers;
  const nia = { aadObjectId: 'nia', name: 'Nia', access: { '*': ['view' as const], fabrikam: ['admin' as const] } };

  it('should keep only the rights on the linked customers, `*` included', () => {
    const inRoom = personInRoom(nia, [contoso!]);
    assert.deepEqual(
      access.customersWith(inRoom, 'view').map((c) => c.id),
      ['contoso'],
    );
    assert.equal(access.can(inRoom, 'admin', 'fabrikam'), false);
    assert.deepEqual([...access.rightsAnywhere(inRoom)], ['view']);
    assert.deepEqual(personInRoom(nia, [contoso!, fabrikam!]).access, { contoso: ['view'], fabrikam: ['view', 'admin'] });
  });

  it('should grant nothing in a conversation linked to no customer, or to none of the asker’s', () => {
    assert.deepEqual(access.visibleCustomers(personInRoom(nia, [])), []);
    const contosoOnly = { aadObjectId: 'c', name: 'C', access: { contoso: ['view' as const] } };
    assert.deepEqual(access.visibleCustomers(personInRoom(contosoOnly, [fabrikam!])), []);
  });

  it('should keep who the person is', () => {
    const inRoom = personInRoom(nia, [contoso!]);
    assert.equal(inRoom.aadObjectId, 'nia');
    assert.equal(inRoom.name, 'Nia');
  });

  it('should treat every thread of a channel as the channel', () => {
    assert.equal(roomIdOf('19:abc@thread.tacv2;messageid=1700000000000'), '19:abc@thread.tacv2');
    assert.equal(roomIdOf('19:abc@thread.tacv2'), '19:abc@thread.tacv2');
    assert.equal(roomIdOf('a:personal-chat'), 'a:personal-chat');
  });

  it('should name, in a room’s notes, only the customers it showed the asker', () => {
    const northwind = directory.customers[2]!;
    const named = (note: string) =>
      [fabrikam!, northwind].filter((c) => [c.id, c.name, c.tenantId].some((s) => note.toLowerCase().includes(s.toLowerCase())));
    for (const noun of ['channel', 'chat'] as const) {
      for (const linked of [[], [contoso!], [contoso!, northwind]]) {
        const room: Room = { id: '19:r', noun, linked };
        const shown = linked.filter((c) => c === contoso);
        for (const partial of [true, false]) {
          for (const sent of [true, false]) {
            const note = elsewhereNote({ room, shown, outside: [fabrikam!, northwind].filter((c) => !linked.includes(c)), partial, sent });
            // Only what the room showed the asker is named: not a customer outside it, nor one linked that they can't see.
            assert.deepEqual(named(note), [], note);
            assert.deepEqual(named(suggestionsNote(room, sent)), [], 'the "did you mean" note');
          }
        }
        assert.deepEqual(named(unlinkedMeanwhileNote(room)), []);
        assert.deepEqual(named(JSON.stringify(unlinkedCard(noun))), []);
      }
    }
  });
});
