import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { flatten, groupByRoom, moveSelection } from '../src/search/group-results.ts';
import { lobbyMessage } from './fixtures.ts';

describe('search results by room', () => {
  test("grouped in the order of each room's best match, each room's kept best first", () => {
    const results = [
      lobbyMessage(9, { id: 'a', room: 'design' }),
      lobbyMessage(3, { id: 'b', room: 'lobby' }),
      lobbyMessage(7, { id: 'c', room: 'design' }),
      lobbyMessage(1, { id: 'd', room: 'ops' }),
    ];
    const groups = groupByRoom(results);
    assert.deepEqual(
      groups.map((g) => [g.room, g.messages.map((m) => m.id)]),
      [
        ['design', ['a', 'c']],
        ['lobby', ['b']],
        ['ops', ['d']],
      ],
    );
    // The arrow keys go through the groups in turn.
    assert.deepEqual(
      flatten(groups).map((m) => m.id),
      ['a', 'c', 'b', 'd'],
    );
  });

  test('the selection moves within the results and stops at either end; none without results', () => {
    assert.equal(moveSelection(0, 1, 3), 1);
    assert.equal(moveSelection(2, 1, 3), 2);
    assert.equal(moveSelection(0, -1, 3), 0);
    assert.equal(moveSelection(-1, 1, 3), 0);
    assert.equal(moveSelection(0, 1, 0), -1);
  });
});
