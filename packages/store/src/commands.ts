import { isSwitchboardError, type Message, type PublishOptions } from '@switchboard/bus';
import { describeValue, StoreError, StoreLoopError } from './errors.ts';
import type { HostLink } from './host-link.ts';
import { currentMessage } from './delivery.ts';
import type { Replica } from './replica-types.ts';
import type { Writer } from './write.ts';
import type { StoreService } from './store-service-types.ts';

/** `$sys.store.command.<storeId>`: an app asks the store's owner to run a command. */
interface CommandMessage {
  readonly storeId: string;
  readonly command: string;
  /** Which of the commands to this store that its cause dispatched (the same in every tab). */
  nth: number;
  readonly payload: unknown;
  /** For `scope: 'tab'`: only this tab runs it. */
  readonly tabId: string | undefined;
}

interface CommandsHost {
  readonly link: HostLink;
  readonly service: StoreService;
  readonly writer: Writer;
  readonly timeoutMs: number;
  isOwner(replica: Replica): boolean;
  loaded(storeId: string): Replica | undefined;
  publishEvent(topic: string, payload: unknown, meta: PublishOptions): void;
}

/** The commands of one registry: dispatching them, and running those of the stores its app owns. */
export interface Commands {
  dispatch(replica: Replica, command: string, payload: unknown): Promise<number>;
  /** Resolves once the commands dispatched from here are settled. */
  idle(): Promise<void>;
  stop(): void;
}

const CHAINS = 256;

/**
 * Commands travel as bus messages and events are published from the command's message, so a
 * chain of stores (order -> payment -> fulfilment) is a causation chain the bus's loop detection
 * watches; the stores a chain went through are recorded per correlation id to name them when it
 * loops.
 */
export function createCommands(host: CommandsHost): Commands {
  const { link, service } = host;
  const chains = new Map<string, string[]>();
  let lastChain: string[] = [];
  const counters = new Map<string, number>();

  function count(key: string): number {
    const n = counters.get(key) ?? 0;
    counters.set(key, n + 1);
    if (counters.size > CHAINS) counters.delete(counters.keys().next().value!);
    return n;
  }
  const settling = new Set<Promise<unknown>>();

  function record(key: string, storeId: string): string[] {
    const chain = [...(chains.get(key) ?? []), storeId];
    chains.delete(key);
    chains.set(key, chain.slice(-32));
    if (chains.size > CHAINS) chains.delete(chains.keys().next().value!);
    lastChain = chain;
    return chain;
  }

  function loopError(error: unknown, chain: readonly string[]): unknown {
    return isSwitchboardError(error, 'LOOP_DETECTED') ? new StoreLoopError(chain, error) : error;
  }

  function run(message: Message<CommandMessage>): void {
    const { storeId, command, payload, tabId } = message.payload;
    const commandId = operationId(message);
    const replica = host.loaded(storeId);
    if (replica === undefined || !host.isOwner(replica)) return;
    if (replica.definition.scope === 'tab' && tabId !== link.tabId) return;
    const handler = (replica.definition.commands as Record<string, unknown>)[command];
    if (typeof handler !== 'function') {
      service.report(
        new StoreError(
          'INVALID_OPTION',
          storeId,
          `dispatch('${command}'): store '${storeId}' has no command '${command}'.`,
        ),
      );
      return;
    }
    const key = message.meta.correlationId ?? message.id;
    const chain = record(key, storeId);
    let events: Array<[string, unknown]> = [];
    replica.write({
      label: command,
      writer: host.writer,
      opId: commandId,
      command: { name: command, payload, source: message.source },
      apply(state) {
        events = [];
        return (handler as (state: unknown, payload: unknown, context: unknown) => unknown)(state, payload, {
          source: message.source,
          emit(topic: string, eventPayload?: unknown) {
            const declared = replica.definition.events;
            if (declared.length > 0 && !declared.includes(topic)) {
              throw new StoreError(
                'INVALID_OPTION',
                storeId,
                `emit('${topic}'): store '${storeId}' does not declare this event; add it to the definition's events.`,
              );
            }
            events.push([topic, eventPayload]);
          },
        });
      },
      committed() {
        for (const [topic, eventPayload] of events) {
          try {
            host.publishEvent(topic, eventPayload, { causationId: message.id, correlationId: key, store: storeId });
          } catch (error) {
            service.report(loopError(error, chain));
          }
        }
      },
      resolve() {},
      reject: (error) => service.report(error),
    });
  }

  const unsubscribe = link.subscribe('$sys.store.command.#', (message) => run(message as Message<CommandMessage>));

  return {
    dispatch(replica, command, payload) {
      const { storeId, definition } = replica;
      if (typeof (definition.commands as Record<string, unknown>)[command] !== 'function') {
        return Promise.reject(
          new StoreError(
            'INVALID_OPTION',
            storeId,
            `dispatch(${describeValue(command)}): store '${storeId}' declares no such command.`,
          ),
        );
      }
      const timer = { handle: undefined as unknown };
      const controller = new AbortController();
      const request: CommandMessage = {
        storeId,
        command,
        payload,
        nth: 0,
        tabId: definition.scope === 'tab' ? link.tabId : undefined,
      };
      // Every tab reacting to one event dispatches the same command: one operation id for all of
      // them (from the cause and the rank of this dispatch in its handler), applied once.
      const cause = currentMessage()?.id;
      if (cause !== undefined) request.nth = count(`${cause}>${storeId}.${command}`);
      let committed: Promise<number>;
      try {
        const message = link.publish(`$sys.store.command.${storeId}`, request);
        committed = replica.waitForOp(operationId(message as Message<CommandMessage>), controller.signal);
      } catch (error) {
        const reported = loopError(error, [...lastChain, storeId]);
        service.report(reported);
        committed = Promise.reject(reported);
        // Reported already: a caller that does not await (a handler queueing a command) leaves no unhandled rejection.
        committed.catch(() => {});
        return committed;
      }
      timer.handle = service.clock.setTimeout(() => {
        controller.abort(
          new StoreError(
            'TIMEOUT',
            storeId,
            `dispatch('${command}'): no tab ran it within ${host.timeoutMs} ms; is app '${definition.owner}', which owns '${storeId}', mounted?`,
          ),
        );
      }, host.timeoutMs);
      committed = committed.finally(() => service.clock.clearTimeout(timer.handle));
      settling.add(committed);
      void committed.then(
        () => settling.delete(committed),
        () => settling.delete(committed),
      );
      return committed;
    },
    async idle() {
      while (settling.size > 0) await Promise.allSettled([...settling]);
    },
    stop: unsubscribe,
  };
}

/** A command's operation id: from its cause when it has one (the same in every tab), else its own id. */
function operationId(message: Message<CommandMessage>): string {
  const { causationId } = message.meta;
  const { storeId, command, nth } = message.payload;
  return causationId === undefined ? `cmd:${message.id}` : `cmd:${causationId}>${storeId}.${command}#${nth}`;
}
