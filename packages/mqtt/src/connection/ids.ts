// Ids the connection makes: its MQTT client id and ids for broker messages that carry none.

function randomChars(random: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += Math.floor(random() * 36).toString(36);
  return text;
}

export function newClientId(random: () => number): string {
  return `switchboard-${randomChars(random, 16)}`;
}

export function newMessageId(random: () => number, sequence: number): string {
  return `mqtt-${randomChars(random, 12)}-${sequence.toString(36)}`;
}
