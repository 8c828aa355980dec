// Type tests: checked by `npm run test:types` (tsc); a wrong type fails the build.
import { expectTypeOf } from 'vitest';
import type { AnyRpcMethods, CallArgs, CallOptions, ParamsOf, ResultOf } from '../../src/internal.ts';
import type { Methods } from './typed-maps.ts';

// A method's params and its result, a promise unwrapped.
expectTypeOf<ParamsOf<Methods, 'inventory.reserve'>>().toEqualTypeOf<{ sku: string; quantity: number }>();
expectTypeOf<ResultOf<Methods, 'inventory.reserve'>>().toEqualTypeOf<{ reservationId: string }>();
expectTypeOf<ParamsOf<Methods, 'inventory.count'>>().toEqualTypeOf<undefined>();
expectTypeOf<ResultOf<Methods, 'inventory.count'>>().toEqualTypeOf<number>();

// Params may be left out only when the method takes none.
expectTypeOf<CallArgs<{ sku: string }>>().toEqualTypeOf<[params: { sku: string }, options?: CallOptions]>();
expectTypeOf<CallArgs<undefined>>().toEqualTypeOf<[params?: undefined, options?: CallOptions]>();

// Untyped: any method, anything in and out.
// biome-ignore lint/suspicious/noExplicitAny: what an untyped rpc takes and returns.
expectTypeOf<ResultOf<AnyRpcMethods, 'any.method'>>().toEqualTypeOf<any>();
