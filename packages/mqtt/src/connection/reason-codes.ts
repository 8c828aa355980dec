/** The broker's words for the reason codes a bridge meets, for error messages. */
export function describeReasonCode(code: number): string {
  const names: Record<number, string> = {
    128: 'unspecified error',
    131: 'implementation specific error',
    133: 'client identifier not valid',
    134: 'bad user name or password',
    135: 'not authorized',
    136: 'server unavailable',
    137: 'server busy',
    138: 'banned',
    140: 'bad authentication method',
    143: 'topic filter invalid',
    144: 'topic name invalid',
    149: 'packet too large',
    151: 'quota exceeded',
    153: 'payload format invalid',
    154: 'retain not supported',
  };
  return `reason code ${code}${names[code] ? `, ${names[code]}` : ''}`;
}
