import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { type Mosquitto, startMosquitto } from '@switchboard/mqtt/testing';
// Type-only: the window declarations of both pages.
import type {} from '../pages/mqtt';
import type {} from '../pages/mqtt-copies';
import { bundleSecondCopy, serveSecondCopy } from './second-copy.ts';

const COPY_URL = '/__second-copy/switchboard-mqtt.js';
// Ports of its own, moved with the server's (E2E_PORT), beside those of mqtt.spec.ts.
const BROKER_PORT = 18840 + Number(process.env.E2E_PORT ?? 5310) - 5310;

let broker: Mosquitto;
let secondCopy = '';

test.beforeAll(async () => {
  [broker, secondCopy] = await Promise.all([
    startMosquitto({ port: BROKER_PORT, wsPort: BROKER_PORT + 1 }),
    bundleSecondCopy(new URL('../pages/mqtt-copy-entry.ts', import.meta.url), 'switchboard-mqtt'),
  ]);
});

test.afterAll(async () => {
  await broker?.dispose();
});

async function openCopies(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await serveSecondCopy(page, COPY_URL, secondCopy);
  await page.goto(
    `/mqtt-copies.html?broker=${encodeURIComponent(broker.wsUrl)}&channel=copies&copy=${encodeURIComponent(COPY_URL)}`,
  );
  await page.waitForFunction(() => window.__ready === true);
  return page;
}

test('two bundled copies in each of two tabs: the broker sees one connection, every copy sends and receives', async ({
  browser,
}) => {
  const device = await browser.newContext();
  const tabs = [await openCopies(device), await openCopies(device)];
  expect(await tabs[0]!.evaluate(() => window.__sameModule)).toBe(false);
  for (const page of tabs) {
    await page.waitForFunction(() => window.__mqttCopies.every((copy) => copy.mqtt.state === 'connected'));
  }
  const other = await browser.newContext();
  const remote = await other.newPage();
  await remote.goto(`/mqtt.html?broker=${encodeURIComponent(broker.wsUrl)}&channel=copies-remote`);
  await remote.waitForFunction(() => window.__ready === true && window.__mqtt.state === 'connected');

  const holders = await Promise.all(
    tabs.map((page) => page.evaluate(() => window.__mqttCopies.map((copy) => copy.mqtt.holdsConnection))),
  );
  expect(holders.flat().filter(Boolean)).toHaveLength(1);
  // One connection for the device's four bridges, one for the other device.
  await expect
    .poll(async () => (await broker.connections()).filter((id) => id.startsWith('switchboard-')).length)
    .toBe(2);

  for (const page of tabs) {
    await page.evaluate(() => {
      window.__mqttCopies[0]!.bus.publish('orders.copies.first', 1);
      window.__mqttCopies[1]!.bus.publish('orders.copies.second', 2);
    });
  }
  await remote.evaluate(() => void window.__sb.publish('orders.copies.remote', 3));
  await expect
    .poll(() => remote.evaluate(() => window.__received.map((m) => `${m.topic}:${m.payload}`).sort()))
    .toEqual([
      'orders.copies.first:1',
      'orders.copies.first:1',
      'orders.copies.remote:3',
      'orders.copies.second:2',
      'orders.copies.second:2',
    ]);
  for (const page of tabs) {
    await expect
      .poll(() =>
        page.evaluate(() =>
          window.__mqttCopies.map((copy) =>
            copy.received.filter((m) => m.topic === 'orders.copies.remote').map((m) => m.payload),
          ),
        ),
      )
      .toEqual([[3], [3]]);
    await page.waitForFunction(() => window.__mqttCopies.every((copy) => copy.mqtt.stats().pending === 0));
  }
  expect((await broker.connections()).filter((id) => id.startsWith('switchboard-'))).toHaveLength(2);
  await device.close();
  await other.close();
});
