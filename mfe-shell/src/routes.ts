/** A page of the shell: a nav entry and the apps it shows. */
export interface Route {
  /** Hash path, e.g. `#/orders`. */
  readonly hash: string;
  readonly label: string;
  /** Names of the single-spa applications active on this route. */
  readonly apps: readonly AppName[];
}

/** The shell's applications: its own dashboard and the two MFEs it loads from their URLs. */
export type AppName = 'dashboard' | '@switchboard/mfe-orders' | '@switchboard/mfe-inventory';

/** Every route, in nav order. The first one is the default. */
export const ROUTES: readonly Route[] = [
  { hash: '#/', label: 'Dashboard', apps: ['dashboard'] },
  { hash: '#/orders', label: 'Orders', apps: ['@switchboard/mfe-orders'] },
  { hash: '#/inventory', label: 'Inventory', apps: ['@switchboard/mfe-inventory'] },
  { hash: '#/split', label: 'Both', apps: ['@switchboard/mfe-orders', '@switchboard/mfe-inventory'] },
];

/** The route a location shows; an unknown hash shows the default route. */
export function routeOf(location: Pick<Location, 'hash'>): Route {
  const hash = location.hash === '' || location.hash === '#' ? '#/' : location.hash.split('?')[0];
  return ROUTES.find((route) => route.hash === hash) ?? ROUTES[0]!;
}

/** single-spa activity function of an application. */
export function activeWhen(app: AppName): (location: Location) => boolean {
  return (location) => routeOf(location).apps.includes(app);
}
