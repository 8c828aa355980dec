// `npm start`: builds the demo (shell + two MFEs) and serves each app from its own port.
// Ports: SWITCHBOARD_SHELL_PORT, SWITCHBOARD_ORDERS_PORT, SWITCHBOARD_INVENTORY_PORT (0 = any free port).
import { startDemo } from './demo/start-demo.mjs';

function port(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`npm start: ${name}=${raw} is not a port number; use 0-65535 or leave it unset.`);
  }
  return value;
}

const host = '127.0.0.1';
console.log('Switchboard demo: building the shell and the MFEs…');
let demo;
try {
  demo = await startDemo({
    host,
    ports: {
      shell: port('SWITCHBOARD_SHELL_PORT', 5300),
      orders: port('SWITCHBOARD_ORDERS_PORT', 5301),
      inventory: port('SWITCHBOARD_INVENTORY_PORT', 5302),
    },
  });
} catch (error) {
  if (error.code !== 'EADDRINUSE') throw error;
  console.error(
    `npm start: ${error.address}:${error.port} is already in use (another npm start?). Stop it, or pick other ports with SWITCHBOARD_SHELL_PORT, SWITCHBOARD_ORDERS_PORT, SWITCHBOARD_INVENTORY_PORT.`,
  );
  process.exit(1);
}
console.log(`  mfe-orders    ${demo.urls.orders}`);
console.log(`  mfe-inventory ${demo.urls.inventory}`);
console.log(`open ${demo.urls.shell}`);
console.log('  (try #/orders in one tab and #/inventory in another; Ctrl+C stops)');

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    void demo.close().then(() => process.exit(0));
  });
}
