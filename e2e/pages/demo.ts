// Tiny demo: publishes `demo.note` and lists every `demo.note` this tab receives
// (its own now; other tabs' too once cross-tab delivery exists).
import { createPubSub } from '@switchboard/bus';

/** The page's one topic and its payload. */
interface NoteTopics {
  'demo.note': { text: string };
}

const bus = createPubSub<NoteTopics>({ app: 'demo' });
const form = document.querySelector<HTMLFormElement>('#form')!;
const input = document.querySelector<HTMLInputElement>('#note')!;
const log = document.querySelector<HTMLUListElement>('#log')!;
const tab = document.querySelector<HTMLElement>('#tab')!;

bus.subscribe('demo.note', (message) => {
  const item = document.createElement('li');
  const time = new Date(message.ts).toLocaleTimeString();
  item.textContent = `${time} tab ${message.origin.tabId}: ${JSON.stringify(message.payload)}`;
  log.prepend(item);
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const message = bus.publish('demo.note', { text: input.value });
  // The tab id is only known from a message, so it shows after the first publish.
  tab.textContent = message.origin.tabId;
  input.value = '';
});
