/** Correlation data carried with a message; custom keys are allowed and travel unchanged. */
export interface MessageMeta {
  /** Groups the messages of one conversation (a request and its replies, a saga). */
  correlationId?: string;
  /** The id of the message that caused this one. */
  causationId?: string;
  /**
   * Keep this message as the topic's last value for subscribers that come later (MQTT's retain):
   * `subscribe(pattern, handler, { retained: true })` receives it first. Needs `attachRetained`.
   */
  retain?: true;
  [key: string]: unknown;
}

/** One published message. Treat it as read-only: every subscriber receives the same object. */
export interface Message<T = unknown> {
  /** Unique across tabs and reloads. */
  readonly id: string;
  readonly topic: string;
  readonly payload: T;
  /** Milliseconds since the epoch, set at publish. */
  readonly ts: number;
  /** The publishing app (`createPubSub({ app })`). */
  readonly source: string;
  readonly meta: MessageMeta;
  /** Which tab published it. */
  readonly origin: { readonly tabId: string };
  /**
   * Length of the causation chain that led to this message: 0 for a publish that no message
   * caused. Loop detection reads it, in this tab and in others.
   */
  readonly depth: number;
}

/** Options of `publish`: correlation data and any other meta for the message. */
export interface PublishOptions extends MessageMeta {}
