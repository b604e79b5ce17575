// Connects to the back end and, on every connection (the first and each after a drop), loads the
// stores the app needs from its first screen. The other stores load when their view mounts.
import { RpcError } from '../../../shared/rpc.ts';
import { connectClient } from '../rpc/client.ts';
import { appActions, useAppStore } from './appStore.ts';
import { chatActions } from './chatStore.ts';
import { engineActions } from './engineStore.ts';
import { modelsActions } from './modelsStore.ts';
import { routingActions } from './routingStore.ts';
import { telemetryActions } from './telemetryStore.ts';
import { backupsActions } from './backupsStore.ts';
import { toolsActions } from './toolsStore.ts';

export function start(): void {
  const client = connectClient((up) => {
    useAppStore.setState({ connected: up });
    if (up) {
      toolsActions.listen();
      void Promise.all([
        appActions.load(),
        engineActions.load(),
        modelsActions.load(),
        chatActions.load(),
        telemetryActions.load(),
        routingActions.load(),
        backupsActions.loadHealth(),
      ]);
    } else client.failPending(new RpcError('internal', 'Lost the connection to Edgewise; reconnecting…'));
  });
}
