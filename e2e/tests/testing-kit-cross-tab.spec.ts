// The Playwright kit of @switchboard/testing across tabs: what crossed, quiet, leader, presence.
import { expect, test } from '@switchboard/testing/playwright';
import type { Page } from '@playwright/test';
import type {} from '../pages/testing-kit';

/** The kit page with cross-tab on a channel of this test only. */
function kitUrl(testId: string, extra = ''): string {
  return `/testing-kit.html?crossTab=kit-${testId}${extra}`;
}

function publish(page: Page, topic: string, payload: unknown): Promise<string> {
  return page.evaluate(({ topic, payload }) => window.__kit.buses[0]!.publish(topic, payload).id, { topic, payload });
}

test('a message from one tab is seen in another, marked remote', async ({ tabs, switchboard }, info) => {
  const [a, b] = await tabs.open(2, kitUrl(info.testId));
  const aId = await switchboard.tabIdOf(a!);
  const id = await publish(a!, 'kit.hello', { n: 1 });
  const seen = await switchboard.waitForMessage(b!, 'kit.hello', {
    predicate: { remote: true, origin: { tabId: aId } },
  });
  expect(seen).toMatchObject({ id, payload: { n: 1 }, source: 'kit' });
});

test('waitForQuiet returns once every tab has everything the others sent', async ({ tabs, switchboard }, info) => {
  const pages = await tabs.open(3, kitUrl(info.testId));
  await pages[0]!.evaluate(() => {
    for (let n = 0; n < 50; n++) window.__kit.buses[0]!.publish('kit.burst', { n });
  });
  await switchboard.waitForQuiet(pages);
  for (const page of pages.slice(1)) {
    const burst = await switchboard.recordedMessages<{ n: number }>(page, 'kit.burst');
    expect(burst.map((message) => message.payload.n)).toEqual([...Array(50).keys()]);
  }
});

test('one leader, and a new one with presence updated when it closes', async ({ tabs, switchboard }, info) => {
  const pages = await tabs.open(3, kitUrl(info.testId));
  const leader = await switchboard.expectLeader(pages);
  for (const page of pages) await switchboard.expectPresence(page, pages);

  await leader.close();
  const rest = pages.filter((page) => page !== leader);
  const next = await switchboard.expectLeader(rest);
  expect(rest).toContain(next);
  for (const page of rest) await switchboard.expectPresence(page, rest);
  const left = await switchboard.waitForMessage(rest[0]!, '$sys.tab.left', {
    predicate: { payload: { tabId: await switchboard.tabIdOf(leader) } },
  });
  expect(left.payload).toMatchObject({ reason: 'closed' });
});

test('a reloaded tab comes back with a new id that the others see', async ({ tabs, switchboard }, info) => {
  const [a, b] = await tabs.open(2, kitUrl(info.testId));
  const before = await switchboard.tabIdOf(b!);
  await b!.reload();
  const after = await switchboard.tabIdOf(b!);
  expect(after).not.toBe(before);
  await switchboard.expectPresence(a!, [a!, after]);
  await switchboard.expectPresence(b!, [a!, b!]);
  await switchboard.expectLeader([a!, b!]);
});

test('leader and presence failures say what each tab believes', async ({ tabs, switchboard }, info) => {
  const [a, b] = await tabs.open(2, kitUrl(info.testId));
  await switchboard.expectLeader([a!, b!]);
  await expect(switchboard.expectPresence(a!, [a!], { timeout: 200 })).rejects.toThrow(
    /did not see exactly tabs \[.+\] within 200 ms; it sees leader .+, tabs \[.+, .+\]; missing \[\], unexpected \[.+\]/,
  );
  // The follower alone: it names a leader that is not among the tabs given.
  const leader = await switchboard.expectLeader([a!, b!]);
  const other = leader === a ? b! : a!;
  await expect(switchboard.expectLeader([other], { timeout: 200 })).rejects.toThrow(
    /no single leader within 200 ms; they agree on leader .+, which is none of the given tabs:\n {2}tab .+: leader .+, tabs \[/,
  );
});
