import { spawn } from 'node:child_process';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { type Mosquitto, startMosquitto } from '@switchboard/mqtt/testing';
// Type-only: brings in the `window.__sb` / `window.__mqtt` declarations of the page.
import type {} from '../pages/mqtt';

// Ports of this spec's brokers (plain MQTT beside WebSocket, as Debian's build needs), moved with
// the server's (E2E_PORT, default 5310 -> 18830), so runs on other ports do not share a broker.
const BROKER_PORT = 18830 + Number(process.env.E2E_PORT ?? 5310) - 5310;
const OPEN = { port: BROKER_PORT, wsPort: BROKER_PORT + 1 };
const GUARDED = { port: BROKER_PORT + 2, wsPort: BROKER_PORT + 3 };
// Enough that the broker's restart and the leader's departure land mid-stream with messages in
// flight both ways; more proves nothing more about once-and-in-order.
const STREAM = 2000;

let broker: Mosquitto;

// The streams cross a shared broker and several tabs on a busy machine.
test.describe.configure({ timeout: 90_000 });

test.beforeAll(async () => {
  broker = await startMosquitto(OPEN);
});

test.afterAll(async () => {
  await broker?.dispose();
});

interface Device {
  readonly context: BrowserContext;
  readonly tabs: Page[];
  /** The tab holding the broker connection. */
  leader(): Promise<Page>;
}

/** A device: a browser context of its own (its own IndexedDB, so its own MQTT client id). */
async function openDevice(browser: Browser, tabs: number, query: string, url = broker.wsUrl): Promise<Device> {
  const context = await browser.newContext();
  const pages: Page[] = [];
  for (let i = 0; i < tabs; i++) pages.push(await openTab(context, query, url));
  const device: Device = {
    context,
    tabs: pages,
    async leader() {
      let holder: Page | undefined;
      await expect
        .poll(async () => {
          for (const page of pages) {
            if (!page.isClosed() && (await page.evaluate(() => window.__mqtt.holdsConnection))) holder = page;
          }
          return holder !== undefined;
        })
        .toBe(true);
      return holder!;
    },
  };
  await Promise.all(pages.map((page) => page.waitForFunction(() => window.__mqtt.state === 'connected')));
  return device;
}

async function openTab(context: BrowserContext, query: string, url = broker.wsUrl): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/mqtt.html?broker=${encodeURIComponent(url)}&${query}`);
  await page.waitForFunction(() => window.__ready === true);
  return page;
}

/** Bridged messages on topics starting with `prefix` that the tab received. */
function received(page: Page, prefix: string) {
  return page.evaluate((p) => window.__received.filter((m) => m.topic.startsWith(p)), prefix);
}

/** How many of them, without copying them out of the page. */
function receivedCount(page: Page, prefix: string): Promise<number> {
  return page.evaluate((p) => window.__received.filter((m) => m.topic.startsWith(p)).length, prefix);
}

test('a message of device A reaches every tab of device B with every field intact; 4 tabs, one connection', async ({
  browser,
}) => {
  const a = await openDevice(browser, 2, 'channel=t1');
  const b = await openDevice(browser, 4, 'channel=t1');
  const sent = await a.tabs[1]!.evaluate(() =>
    window.__sb.publish(
      'orders.t1.created',
      { id: 't1', lines: [{ sku: 'a', qty: 2 }], total: 12.5, gift: null },
      { correlationId: 'corr-1', causationId: 'cause-1', tenant: 'acme', tags: ['x', 'y'] },
    ),
  );
  for (const page of b.tabs) {
    await expect.poll(() => received(page, 'orders.t1.')).toEqual([sent]);
  }
  const ids = (await broker.connections()).filter((id) => id.startsWith('switchboard-'));
  expect(ids).toHaveLength(2);
  const holders = await Promise.all(b.tabs.map((page) => page.evaluate(() => window.__mqtt.holdsConnection)));
  expect(holders.filter(Boolean)).toHaveLength(1);
  // Stored once in device B's history, by the tab holding the connection.
  await Promise.all(b.tabs.map((page) => page.evaluate(() => window.__sb.flush())));
  const stored = await b.tabs[0]!.evaluate(() => window.__history.getHistory('orders.t1.#'));
  expect(stored).toEqual([sent]);
  await a.context.close();
  await b.context.close();
});

test('mosquitto_pub reaches every tab with dots for slashes; a bus publish reaches mosquitto_sub', async ({
  browser,
}) => {
  const device = await openDevice(browser, 2, 'channel=t2');
  await run('mosquitto_pub', [
    '-p',
    String(OPEN.port),
    '-V',
    'mqttv5',
    '-q',
    '1',
    '-t',
    'orders/42/created',
    '-m',
    '{"total":3}',
  ]);
  for (const page of device.tabs) {
    await expect
      .poll(() => received(page, 'orders.42.'))
      .toEqual([expect.objectContaining({ topic: 'orders.42.created', payload: { total: 3 }, source: 'mqtt' })]);
  }
  const subscriber = spawn('mosquitto_sub', [
    '-p',
    String(OPEN.port),
    '-V',
    'mqttv5',
    '-t',
    'notes/#',
    '-C',
    '1',
    '-v',
  ]);
  let output = '';
  subscriber.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  // mosquitto_sub says nothing once subscribed: publish until it hears one.
  await expect
    .poll(async () => {
      await device.tabs[0]!.evaluate(() => window.__sb.publish('notes.t2.hello', { text: 'hi' }));
      return output;
    })
    .toContain('notes/t2/hello {"text":"hi"}');
  subscriber.kill();
  await device.context.close();
});

/**
 * Publishes `STREAM` messages from `page` at once: they wait in every tab of the device and cross
 * the broker within its Receive Maximum, so the stream lasts while the test breaks something.
 */
function startStream(page: Page, topic: string): Promise<void> {
  return page.evaluate(
    ({ topic, total }) => {
      for (let i = 0; i < total; i++) window.__sb.publish(topic, { i });
    },
    { topic, total: STREAM },
  );
}

/** Resolves as soon as `page` has the first hundred messages of the stream (checked every 5 ms). */
async function midStream(page: Page, topic: string): Promise<void> {
  await page.waitForFunction((p) => window.__received.filter((m) => m.topic.startsWith(p)).length > 100, topic, {
    polling: 5,
    timeout: 20_000,
  });
}

async function expectWholeStream(page: Page, topic: string): Promise<void> {
  await expect.poll(() => receivedCount(page, topic), { timeout: 30_000 }).toBeGreaterThanOrEqual(STREAM);
  const payloads = await page.evaluate(
    (p) => window.__received.filter((m) => m.topic.startsWith(p)).map((m) => (m.payload as { i: number }).i),
    topic,
  );
  expect(payloads).toEqual(Array.from({ length: STREAM }, (_, i) => i));
}

test('the broker stopped and restarted mid-stream: every message arrives once, in order', async ({ browser }) => {
  const a = await openDevice(browser, 2, 'channel=t3');
  const b = await openDevice(browser, 2, 'channel=t3');
  await startStream(a.tabs[0]!, 'stream.t3');
  await midStream(b.tabs[1]!, 'stream.t3');
  await broker.restart();
  expect(await receivedCount(b.tabs[1]!, 'stream.t3')).toBeLessThan(STREAM);
  for (const page of b.tabs) await expectWholeStream(page, 'stream.t3');
  await a.context.close();
  await b.context.close();
});

test('the connection tab of each device closed mid-stream: every message arrives once, in order', async ({
  browser,
}) => {
  const a = await openDevice(browser, 2, 'channel=t4');
  const b = await openDevice(browser, 2, 'channel=t4');
  const leaderA = await a.leader();
  const leaderB = await b.leader();
  const publisher = a.tabs.find((page) => page !== leaderA)!;
  await startStream(publisher, 'stream.t4');
  await midStream(leaderB, 'stream.t4');
  await leaderA.close();
  await leaderB.close();
  expect(await receivedCount(publisher, 'stream.t4')).toBe(STREAM);
  for (const page of b.tabs.filter((tab) => tab !== leaderB)) await expectWholeStream(page, 'stream.t4');
  expect(await publisher.evaluate(() => window.__mqtt.holdsConnection)).toBe(true);
  await a.context.close();
  await b.context.close();
});

test('a publish the broker ACL denies is a typed error naming the topic; bad credentials too', async ({ browser }) => {
  const guarded = await startMosquitto({
    ...GUARDED,
    users: { alice: { password: 'secret', readwrite: ['orders/#'] } },
  });
  try {
    const device = await openDevice(
      browser,
      2,
      'channel=t5&user=alice&password=secret&in=orders.%23&out=orders.%23,payroll.%23',
      guarded.wsUrl,
    );
    const follower = device.tabs[1]!;
    await follower.evaluate(() => window.__sb.publish('payroll.march', { total: 1 }));
    await expect
      .poll(() => follower.evaluate(() => window.__mqttErrors))
      .toEqual([expect.objectContaining({ failure: 'publish-refused', topic: 'payroll.march', reasonCode: 135 })]);
    await device.context.close();
    const context = await browser.newContext();
    const intruder = await openTab(context, 'channel=t5b&user=alice&password=wrong', guarded.wsUrl);
    await expect
      .poll(() => intruder.evaluate(() => window.__mqttErrors.map((e) => e.failure)))
      .toContain('connect-refused');
    await context.close();
  } finally {
    await guarded.dispose();
  }
});

test('a retained message reaches a device that connects later', async ({ browser }) => {
  const a = await openDevice(browser, 1, 'channel=t6');
  const sent = await a.tabs[0]!.evaluate(async () => {
    const message = window.__sb.publish('orders.t6.latest', { version: 3 }, { retain: true });
    await window.__mqtt.whenSent();
    return message;
  });
  await a.context.close();
  // The broker hands it to the late device's connection tab, which keeps it in the bus's retained
  // store; a retained subscription made afterwards in any tab of the device receives it first,
  // every field intact.
  const late = await openDevice(browser, 2, 'channel=t6');
  // Live in the tab holding the connection (and in the other if it was open by then), once each.
  const live = () => Promise.all(late.tabs.map((page) => received(page, 'orders.t6.')));
  await expect.poll(async () => (await live()).some((list) => list.length > 0)).toBe(true);
  for (const list of await live()) expect([[], [sent]]).toContainEqual(list);
  for (const page of late.tabs) {
    await expect
      .poll(() =>
        page.evaluate(() => {
          const got: unknown[] = [];
          window.__sb.subscribe('orders.t6.#', (m) => void got.push(m), { retained: true })();
          return got;
        }),
      )
      .toEqual([sent]);
  }
  await late.context.close();
});

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
  });
}
