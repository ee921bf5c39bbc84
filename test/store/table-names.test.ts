import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import { CodedError, ErrorCode } from '../../src/errors';
import { MAX_TABLE_PREFIX_LENGTH, TABLE_PREFIX_PATTERN, TABLE_SUFFIXES, tableNames } from '../../src/store/table-names';

/** Azure's rule for a whole table name, written out here so the derived prefix rule is checked against it. */
const AZURE_TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;

function prefixOf(length: number): string {
  return `p${'0123456789'.repeat(10)}`.slice(0, length);
}

describe('table names', () => {
  it('should give the prefix what the longest suffix leaves of 63 characters', () => {
    const longest = Math.max(...Object.values(TABLE_SUFFIXES).map((s) => s.length));
    assert.equal(MAX_TABLE_PREFIX_LENGTH, 63 - longest);
  });

  it('should make valid Azure table names from every prefix the rule accepts, up to the longest', () => {
    for (const length of [1, 2, MAX_TABLE_PREFIX_LENGTH - 1, MAX_TABLE_PREFIX_LENGTH]) {
      const prefix = prefixOf(length);
      assert.match(prefix, TABLE_PREFIX_PATTERN);
      for (const name of Object.values(tableNames(prefix))) assert.match(name, AZURE_TABLE_NAME, `${name} (${name.length} characters)`);
    }
    const tooLong = prefixOf(MAX_TABLE_PREFIX_LENGTH + 1);
    assert.doesNotMatch(tooLong, TABLE_PREFIX_PATTERN);
    assert.doesNotMatch(tableNames(tooLong).changes, AZURE_TABLE_NAME, 'one more character would make an invalid name');
  });

  it('should refuse prefixes Azure cannot use: a leading digit, punctuation, or nothing', () => {
    for (const prefix of ['', '1erbot', 'er-bot', 'er_bot', 'erbot!', 'ér']) assert.doesNotMatch(prefix, TABLE_PREFIX_PATTERN, prefix);
  });

  it('should hold TABLE_STORAGE_PREFIX in config to the same rule, at the same boundary', () => {
    const env = { TABLE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' };
    const longest = prefixOf(MAX_TABLE_PREFIX_LENGTH);
    const config = loadConfig({ ...env, TABLE_STORAGE_PREFIX: longest });
    assert.equal(config.store.kind === 'table' ? config.store.tablePrefix : undefined, longest);
    assert.throws(
      () => loadConfig({ ...env, TABLE_STORAGE_PREFIX: prefixOf(MAX_TABLE_PREFIX_LENGTH + 1) }),
      (e: unknown) => {
        assert.ok(e instanceof CodedError);
        assert.equal(e.code, ErrorCode.Config);
        assert.match(
          e.message,
          new RegExp(
            `TABLE_STORAGE_PREFIX: must be letters and digits only, starting with a letter, at most ${MAX_TABLE_PREFIX_LENGTH} characters`,
          ),
        );
        return true;
      },
    );
  });
});
