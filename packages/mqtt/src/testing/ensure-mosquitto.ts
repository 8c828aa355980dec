import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const COMMAND = 'apt-get update && apt-get install -y mosquitto mosquitto-clients';

/**
 * Makes sure Debian's mosquitto and its command-line clients are installed: installs them when
 * missing and running as root, otherwise prints the exact command and returns false.
 *
 * @example
 * import { ensureMosquitto } from '@switchboard/mqtt/testing';
 * if (!ensureMosquitto()) process.exit(1);
 */
export function ensureMosquitto(binary: string = process.env.MOSQUITTO_PATH ?? '/usr/sbin/mosquitto'): boolean {
  if (existsSync(binary) && existsSync('/usr/bin/mosquitto_pub')) return true;
  if (process.getuid?.() !== 0) {
    console.log(
      `ensure-mosquitto: ${binary} or mosquitto_pub is missing; run: sudo ${COMMAND.replace('&& ', '&& sudo ')}`,
    );
    return false;
  }
  console.log(`ensure-mosquitto: installing the broker: ${COMMAND}`);
  execSync(COMMAND, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  // The package starts a system broker on port 1883; tests start their own, so stop it.
  execSync('service mosquitto stop || true', { stdio: 'inherit' });
  return existsSync(binary);
}
