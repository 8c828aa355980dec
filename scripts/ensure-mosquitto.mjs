// Makes sure Debian's mosquitto (the MQTT broker the e2e tests start) and mosquitto-clients are
// installed: installs them when missing and running as root, otherwise prints the exact command.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const broker = process.env.MOSQUITTO_PATH || '/usr/sbin/mosquitto';
const command = 'apt-get update && apt-get install -y mosquitto mosquitto-clients';

if (!existsSync(broker) || !existsSync('/usr/bin/mosquitto_pub')) {
  if (process.getuid?.() === 0) {
    console.log(`ensure-mosquitto: ${broker} or mosquitto_pub not found, running: ${command}`);
    execSync(command, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    // The package starts a system broker on port 1883; the tests start their own.
    execSync('service mosquitto stop || true', { stdio: 'inherit' });
    if (!existsSync(broker)) {
      console.error(
        `ensure-mosquitto: ${broker} still missing after apt-get; set MOSQUITTO_PATH to your mosquitto binary.`,
      );
      process.exit(1);
    }
  } else {
    console.log('sudo apt-get update && sudo apt-get install -y mosquitto mosquitto-clients');
    process.exit(1);
  }
}
