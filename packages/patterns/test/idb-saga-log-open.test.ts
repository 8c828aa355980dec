import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isSwitchboardError } from '@switchboard/bus';
import { createIdbSagaLog } from '../src/durable/index.ts';

afterEach(() => vi.restoreAllMocks());

describe('createIdbSagaLog when IndexedDB refuses to open', () => {
  it('rejects with a STORAGE_FAILED error naming the database and the cause, when open() throws', async () => {
    const refused = new DOMException(
      'A mutation operation was attempted on a database that did not allow mutations.',
      'InvalidStateError',
    );
    vi.spyOn(indexedDB, 'open').mockImplementation(() => {
      throw refused;
    });
    const log = createIdbSagaLog({ dbName: 'private-mode' });
    const error = await log.unfinished('checkout').catch((e: unknown) => e);
    expect(isSwitchboardError(error, 'STORAGE_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(
      /^SagaLog\.unfinished\(\): could not open IndexedDB database 'private-mode' \(InvalidStateError: A mutation .*\); .*createMemorySagaLog\(\)/,
    );
    expect((error as Error).cause).toBe(refused);
  });

  it('rejects the same way when the open request fails, and tries again on the next call', async () => {
    // A newer version on disk: the open request fails with a VersionError event.
    await new Promise<void>((resolve) => {
      const newer = indexedDB.open('refused-once', 5);
      newer.onsuccess = () => {
        newer.result.close();
        resolve();
      };
    });
    const log = createIdbSagaLog({ dbName: 'refused-once' });
    const error = await log.unfinished('n').catch((e: unknown) => e);
    expect(isSwitchboardError(error, 'STORAGE_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/could not open IndexedDB database 'refused-once' \(VersionError: /);
    await new Promise((resolve) => {
      indexedDB.deleteDatabase('refused-once').onsuccess = resolve;
    });
    expect(await log.unfinished('n')).toEqual([]);
    log.close();
  });
});
