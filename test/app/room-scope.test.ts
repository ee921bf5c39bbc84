import assert from 'node:assert/strict';
import { Access } from '../../src/directory/access';
import { buildDemoDirectory } from '../../src/demo/demo-directory';
import { personInRoom } from '../../src/app/room-scope';
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
});
