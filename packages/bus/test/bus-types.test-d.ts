// Type tests: checked by `npm run test:types` (tsc). What an app can do on a bus (`Bus<M>`), the
// full bus (`PubSubBus<M>`), and the types that let helpers take a bus of any topic map.
import { expectTypeOf } from 'vitest';
import {
  createPubSub,
  isLoopDetectedError,
  isSwitchboardError,
  isTimeoutError,
  isTopicError,
  systemAccess,
  topicMatches,
  type AnyBus,
  type Bus,
  type Message,
  type PubSubBus,
  type SwitchboardError,
} from '../src/index.ts';
import { forApp } from '../src/apps.ts';

// A topic map may be an interface (no index signature) as well as a type alias.
interface Topics {
  'orders.placed': { orderId: string };
  'orders.failed': { orderId: string; reason: string };
}
const bus = createPubSub<Topics>({ app: 'orders' });
expectTypeOf(bus).toEqualTypeOf<PubSubBus<Topics>>();
bus.publish('orders.placed', { orderId: 'o1' });
// @ts-expect-error: wrong payload
bus.publish('orders.placed', { orderId: 1 });
// @ts-expect-error: unknown topic
bus.publish('orders.shipped', {});

// The full bus is a Bus; a Bus cannot attach adapters or read stats.
const app: Bus<Topics> = bus;
expectTypeOf(app.publish('orders.failed', { orderId: 'o1', reason: 'x' })).toEqualTypeOf<
  Message<{ orderId: string; reason: string }>
>();
app.subscribe('orders.+', (message) =>
  expectTypeOf(message.payload).toEqualTypeOf<{ orderId: string } | { orderId: string; reason: string }>(),
);
// @ts-expect-error: a Bus has no attach
app.attach({ name: 'x', connect() {} });
// @ts-expect-error: a Bus has no stats
app.stats();

// AnyBus takes a bus of any map, typed or not, full or not.
function helper(target: AnyBus): string {
  target.publish('helper.own.topic', { anything: true });
  return target.app;
}
helper(bus);
helper(app);
helper(createPubSub({ app: 'untyped' }));
// A typed bus is not an untyped one: it cannot publish other topics.
// @ts-expect-error: a typed bus is no PubSubBus<AnyTopicMap>
const untyped: PubSubBus = bus;
void untyped;

// `ReturnType<typeof createPubSub>` is the untyped bus, usable as before.
const handle: ReturnType<typeof createPubSub> = createPubSub({ app: 'page' });
handle.publish('any.topic', 1);

// topicMatches asks the question alone.
expectTypeOf(topicMatches).toEqualTypeOf<(pattern: string, topic: string) => boolean>();

// Guards narrow to their class.
const caught: unknown = new Error('x');
if (isTopicError(caught)) expectTypeOf(caught.rule).toEqualTypeOf<string>();
if (isLoopDetectedError(caught)) expectTypeOf(caught.depth).toEqualTypeOf<number>();
if (isTimeoutError(caught)) expectTypeOf(caught.code).toEqualTypeOf<'TIMEOUT'>();
if (isSwitchboardError(caught, 'CIRCUIT_OPEN')) expectTypeOf(caught).toEqualTypeOf<SwitchboardError>();

// A helper's system access, and a per-app handle, take a bus of any topic map.
systemAccess(bus, 'rpc').release();
const appHandle = forApp<Topics>(bus, 'orders');
expectTypeOf(appHandle).toExtend<Bus<Topics>>();
systemAccess(appHandle, 'rpc').release();
helper(appHandle);
appHandle.publish('orders.placed', { orderId: 'o1' });
// @ts-expect-error: a handle checks payloads as the bus does
appHandle.publish('orders.placed', { id: 'o1' });
